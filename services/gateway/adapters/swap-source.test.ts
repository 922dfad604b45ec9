import { describe, expect, it, onTestFinished } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { deferred } from '../../../shared/testing/deferred.ts'
import {
  fitsAnswer,
  HELD_LOCK,
  runningJob,
  sampleCatalog,
  sampleHistory,
  sampleLogs,
  sampleTelemetry,
} from '../../../ui/fixtures/swap.ts'
import { SwapSourceError } from '../../../ui/ports.ts'
import { closedPort, type Handler, json, useControllerStandIn } from '../testing/controller-stand-in.ts'
import { createSwapSource } from './swap-source.ts'

const startController = useControllerStandIn()

/** The controller stand-in, with the source under test pointed at it. */
const controller = (handler: Handler) =>
  startController(handler, (url) => createSwapSource({ baseUrl: url, timeoutMs: 300 }))

/** Answers each path with what the controller would. */
const routes: Handler = (req, res) => {
  const path = req.url.split('?')[0]!
  if (path === '/api/swap/models') return json(res, 200, sampleCatalog())
  if (path === '/api/swap/state') return json(res, 200, { state: 'loading', job: runningJob() })
  if (path === '/api/swap/telemetry') return json(res, 200, sampleTelemetry())
  if (path === '/api/swap/history') return json(res, 200, { entries: sampleHistory() })
  if (path === '/api/swap/logs/recent') return json(res, 200, { lines: sampleLogs() })
  if (path === '/api/swap/lock') return json(res, 200, req.method === 'DELETE' ? { held: false } : HELD_LOCK)
  if (path === '/api/swap')
    return json(res, 202, { ...runningJob(), dry_run: false, coalesced: false, fit: null, preflight: null })
  if (path === '/api/swap/cancel') return json(res, 202, { ...runningJob(), cancel_requested: true })
  if (path.endsWith('/validate')) return json(res, 200, fitsAnswer(decodeURIComponent(path.split('/')[3]!)))
  json(res, 404, { detail: 'Not Found' })
}

describe('swap source over HTTP', () => {
  it('reads with GET on the controller paths, without an actor', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.catalog()).models.map((m) => m.key)).toContain('llama-70b')
    expect((await source.state()).job?.job_id).toBe('swp_0123456789abcdef')
    expect((await source.telemetry()).nodes).toHaveLength(2)
    expect((await source.history(50)).map((e) => e.id)).toEqual([12, 11, 10])
    expect((await source.recentLogs(7))[1]!.line).toBe('INFO worker ready')
    expect((await source.lock()).holder).toBe('nightly-eval')
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/swap/models?history=5',
      'GET /api/swap/state',
      'GET /api/swap/telemetry',
      'GET /api/swap/history?limit=50',
      'GET /api/swap/logs/recent?tail=7',
      'GET /api/swap/lock',
    ])
    for (const s of seen) {
      expect(s.headers['x-spark-actor']).toBeUndefined()
      expect(s.headers.accept).toBe('application/json')
    }
  })

  it('validates with POST and the recipe encoded as one path segment', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.validate('llama-70b')).fit?.fits).toBe(true)
    await source.validate('a b/../c?d#e')
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/swap/llama-70b/validate',
      'POST /api/swap/a%20b%2F..%2Fc%3Fd%23e/validate',
    ])
    expect(seen[0]!.headers['x-spark-actor']).toBeUndefined()
  })

  it('starts, cancels and force-releases as the actor it is given', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.start('llama-70b', 'dashboard')).recipe).toBe('llama-70b')
    expect((await source.cancel('dashboard'))?.cancel_requested).toBe(true)
    expect((await source.forceReleaseLock('dashboard')).held).toBe(false)
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/swap',
      'POST /api/swap/cancel',
      'DELETE /api/swap/lock?force=true',
    ])
    for (const s of seen) expect(s.headers['x-spark-actor']).toBe('dashboard')
    expect(JSON.parse(seen[0]!.body)).toEqual({ recipe: 'llama-70b' })
    expect(seen[0]!.headers['content-type']).toBe('application/json')
    // The cancel route takes no body; an empty object is harmless, a DELETE carries none.
    expect(seen[2]!.body).toBe('')
  })

  it('turns the controller refusals into SwapSourceError with its status and message', async () => {
    const bodies: Record<string, [number, unknown, string]> = {
      '/api/swap': [
        423,
        {
          type: 'about:blank',
          title: 'Locked',
          status: 423,
          detail: 'The swap lock is held by nightly-eval.',
          lock: HELD_LOCK,
        },
        'application/problem+json',
      ],
      '/api/swap/cancel': [409, { detail: 'No swap is in progress.' }, 'application/json'],
      '/api/swap/lock': [
        403,
        { error: { message: 'Held by nightly-eval.', type: 'forbidden', code: 'lock_held' } },
        'application/json',
      ],
      '/api/swap/x/validate': [
        422,
        { detail: [{ loc: ['path', 'key'], msg: 'bad key' }] },
        'application/json',
      ],
      '/api/swap/state': [500, '', 'text/plain'],
    }
    const { source } = await controller((req, res) => {
      const [status, body, type] = bodies[req.url.split('?')[0]!]!
      if (body === '') {
        res.writeHead(status, { 'content-type': type })
        return res.end()
      }
      json(res, status, body, type)
    })
    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(SwapSourceError)
      return err as SwapSourceError
    }
    const locked = await refusal(source.start('llama-70b', 'dashboard'))
    expect([locked.status, locked.message]).toEqual([423, 'The swap lock is held by nightly-eval.'])
    expect(locked.extra.lock).toEqual(HELD_LOCK)
    const busy = await refusal(source.cancel('dashboard'))
    expect([busy.status, busy.message]).toEqual([409, 'No swap is in progress.'])
    const envelope = await refusal(source.forceReleaseLock('dashboard'))
    expect([envelope.status, envelope.message]).toEqual([403, 'Held by nightly-eval.'])
    const list = await refusal(source.validate('x'))
    expect([list.status, list.message]).toEqual([422, 'The swap-controller answered 422.'])
    const empty = await refusal(source.state())
    expect([empty.status, empty.message]).toEqual([500, 'The swap-controller answered 500.'])
  })

  it('refuses an answer that breaks the contract, naming the fields at fault', async () => {
    const { source } = await controller((req, res) => {
      const { history: _, ...node } = sampleTelemetry().nodes[0]!
      if (req.url === '/api/swap/telemetry') return json(res, 200, { ...sampleTelemetry(), nodes: [node] })
      json(res, 200, { state: 'idle', job: { ...runningJob(), status: 'paused' } })
    })
    const telemetry = await source.telemetry().catch((e: unknown) => e)
    expect(telemetry).toBeInstanceOf(AppError)
    expect(telemetry).not.toBeInstanceOf(SwapSourceError)
    expect((telemetry as AppError).status).toBe(502)
    expect((telemetry as AppError).message).toMatch(/GET \/api\/swap\/telemetry .*nodes\.0\.history/)
    const state = await source.state().catch((e: unknown) => e)
    expect((state as AppError).message).toMatch(/job\.status/)
  })

  it('gives up on a controller that never answers within the timeout', async () => {
    const { source } = await controller(() => {})
    const started = Date.now()
    const err = await source.state().catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(504)
    expect(err).not.toBeInstanceOf(SwapSourceError)
  })

  it('stops waiting when the caller aborts', async () => {
    const arrived = deferred()
    const { source } = await controller(() => arrived.resolve())
    const abort = new AbortController()
    const pending = source.start('llama-70b', 'dashboard', abort.signal)
    // The caller gives up once the request is waiting at the controller.
    await arrived.promise
    abort.abort()
    const started = Date.now()
    await expect(pending).rejects.toBeInstanceOf(AppError)
    expect(Date.now() - started).toBeLessThan(250)
  })

  it('rejects at once when nothing listens on the address', async () => {
    const port = await closedPort()
    const source = createSwapSource({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 })
    onTestFinished(() => source.close())
    const started = Date.now()
    const err = await source.catalog().catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(503)
  })
})
