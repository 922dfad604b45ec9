import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import {
  applyAnswer,
  restartAnswer,
  samplePatches,
  sampleServices,
  sweepResult,
} from '../../../ui/fixtures/ops.ts'
import { OpsSourceError } from '../../../ui/ports.ts'
import { closedPort, type Handler, json, useControllerStandIn } from '../testing/controller-stand-in.ts'
import { createOpsSource } from './ops-source.ts'

const startController = useControllerStandIn()

const controller = (handler: Handler, timeoutMs = 500) =>
  startController(handler, (url) => createOpsSource({ baseUrl: url, timeoutMs, changeTimeoutMs: timeoutMs }))

const routes: Handler = (req, res) => {
  const path = req.url.split('?')[0]!
  const body = req.body ? (JSON.parse(req.body) as { dry_run?: boolean }) : {}
  const mode = body.dry_run ? 'dry_run' : 'confirm'
  if (path === '/api/ops/services') return json(res, 200, sampleServices())
  if (path.endsWith('/restart')) return json(res, 200, restartAnswer('parakeet', mode))
  if (path === '/api/ops/patches') return json(res, 200, samplePatches())
  if (path === '/api/ops/patches/apply') return json(res, 200, applyAnswer(mode))
  if (path === '/api/ops/sweeps' && req.method === 'GET') return json(res, 200, { sweeps: [sweepResult()] })
  if (path === '/api/ops/sweeps') return json(res, 202, sweepResult({ status: 'running', cells: [] }))
  if (path.startsWith('/api/ops/sweeps/')) return json(res, 200, sweepResult())
  json(res, 404, { detail: 'Not Found' })
}

describe('ops source over HTTP', () => {
  it('reads the contract paths without an actor', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.services()).services).toHaveLength(4)
    expect((await source.patches()).patches[0]!.state).toBe('missing')
    expect((await source.sweeps())[0]!.knee).toBe(3)
    expect((await source.sweep('sw/1')).id).toBe('sw-asr-1')
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/ops/services',
      'GET /api/ops/patches',
      'GET /api/ops/sweeps',
      'GET /api/ops/sweeps/sw%2F1',
    ])
    for (const s of seen) expect(s.headers['x-spark-actor']).toBeUndefined()
  })

  it('sends changes with the actor and dry_run or confirm in the body, never both', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.restart('parakeet', 'dry_run', 'dashboard')).dry_run).toBe(true)
    expect((await source.restart('parakeet', 'confirm', 'dashboard:owner')).restarted).toBe(true)
    await source.applyPatches(['parakeet-memory-cap'], 'confirm', 'dashboard')
    await source.applyPatches(null, 'dry_run', 'dashboard')
    expect((await source.startSweep({ target: 'tts' }, 'dashboard')).status).toBe('running')
    expect(seen.map((s) => [`${s.method} ${s.url}`, JSON.parse(s.body), s.headers['x-spark-actor']])).toEqual(
      [
        ['POST /api/ops/services/parakeet/restart', { dry_run: true }, 'dashboard'],
        ['POST /api/ops/services/parakeet/restart', { confirm: true }, 'dashboard:owner'],
        ['POST /api/ops/patches/apply', { confirm: true, ids: ['parakeet-memory-cap'] }, 'dashboard'],
        ['POST /api/ops/patches/apply', { dry_run: true }, 'dashboard'],
        ['POST /api/ops/sweeps', { target: 'tts' }, 'dashboard'],
      ],
    )
  })

  it('turns a refusal into OpsSourceError with the problem’s message and code', async () => {
    const { source } = await controller((_req, res) =>
      json(
        res,
        409,
        {
          type: 'urn:spark-control:error:conflict',
          title: 'Conflict',
          status: 409,
          detail: 'a swap runs on spark-2',
          node: 'spark-2',
        },
        'application/problem+json',
      ),
    )
    const err = await source.restart('parakeet', 'confirm', 'dashboard').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpsSourceError)
    expect([
      (err as OpsSourceError).status,
      (err as OpsSourceError).message,
      (err as OpsSourceError).code,
    ]).toEqual([409, 'a swap runs on spark-2', 'conflict'])
    expect((err as OpsSourceError).extra.node).toBe('spark-2')
  })

  it('refuses an answer that does not match the contract, naming the field', async () => {
    const bad = sampleServices()
    ;(bad.services[0] as { pill: string }).pill = 'green'
    const { source } = await controller((_req, res) => json(res, 200, bad))
    const err = await source.services().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(502)
    expect((err as AppError).message).toMatch(
      /GET \/api\/ops\/services does not match the contract \(services\.0\.pill/,
    )
  })

  it('says a controller that is not there is unavailable', async () => {
    const source = createOpsSource({ baseUrl: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 500 })
    const err = await source.services().catch((e: unknown) => e)
    await source.close()
    expect((err as AppError).status).toBe(503)
  })
})
