import { describe, expect, it, onTestFinished } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { download, sampleMenu, sampleSuggestions } from '../../../ui/fixtures/models.ts'
import { sampleTelemetry } from '../../../ui/fixtures/swap.ts'
import { ModelsSourceError } from '../../../ui/ports.ts'
import { closedPort, type Handler, json, useControllerStandIn } from '../testing/controller-stand-in.ts'
import { createModelsSource } from './models-source.ts'

const startController = useControllerStandIn()

/** The controller stand-in, with the source under test pointed at it. */
const controller = (handler: Handler, timeoutMs = 300) =>
  startController(handler, (url) =>
    createModelsSource({ baseUrl: url, timeoutMs, changeTimeoutMs: timeoutMs }),
  )

const deleted = {
  key: 'gpt-oss-120b',
  repo: 'openai/gpt-oss-120b',
  local_path: null,
  weights_removed: true,
  nodes: [{ node: 'spark-1', ok: true, error: null }],
  card_removed: false,
  recipe_kept: 'gpt-oss-120b',
  notes: [],
}

const added = {
  key: 'org--x',
  name: 'x',
  repo: 'org/x',
  local_path: null,
  served_model_name: 'org/x',
  max_model_len: null,
  notes: null,
  created_at: '2030-01-01T12:00:00.000Z',
  created_by: 'dashboard',
  ignored_fields: [],
  ignored_note: null,
}

const routes: Handler = (req, res) => {
  const path = req.url.split('?')[0]!
  if (path === '/api/models' && req.method === 'GET') return json(res, 200, sampleMenu())
  if (path === '/api/models' && req.method === 'POST') return json(res, 201, added)
  if (path === '/api/models/suggest') return json(res, 200, { q: 'x', suggestions: sampleSuggestions() })
  if (path === '/api/models/downloads')
    return json(res, 200, { downloads: [download('org/x', 'running', 10)] })
  if (path === '/api/models/download') return json(res, 202, download('org/x', 'running', 0))
  if (path.startsWith('/api/models/downloads/')) return json(res, 200, download('org/x', 'cancelled', 10))
  if (path === '/api/swap/telemetry') return json(res, 200, sampleTelemetry())
  if (path.startsWith('/api/models/')) return json(res, 200, deleted)
  json(res, 404, { detail: 'Not Found' })
}

describe('models source over HTTP', () => {
  it('reads with GET on the controller paths, without an actor', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.menu()).models.map((m) => m.key)).toContain('Qwen--Qwen3-4B-Instruct-2507')
    expect((await source.suggest('qwen 3&x', 10)).map((s) => s.repo)).toContain('openai/gpt-oss-20b')
    expect((await source.downloads())[0]!.status).toBe('running')
    const disks = await source.disks()
    expect(disks.map((d) => d.node)).toEqual(sampleTelemetry().nodes.map((n) => n.node))
    expect(disks[0]!.available_bytes).toBe(sampleTelemetry().nodes[0]!.disk?.available_bytes ?? null)
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/models',
      'GET /api/models/suggest?q=qwen+3%26x&limit=10',
      'GET /api/models/downloads',
      'GET /api/swap/telemetry?samples=0',
    ])
    for (const s of seen) expect(s.headers['x-spark-actor']).toBeUndefined()
  })

  it('changes with the actor, bodies as JSON and ids as one path segment', async () => {
    const { seen, source } = await controller(routes)
    expect((await source.download('org/x', 'dashboard')).status).toBe('running')
    expect((await source.cancelDownload('dl_0123456789ab', 'dashboard')).status).toBe('cancelled')
    expect((await source.remove('gpt-oss-120b', 'dashboard:ops')).weights_removed).toBe(true)
    await source.remove('a/../b?c', 'dashboard')
    expect((await source.add({ repo: 'org/x', name: 'X' }, 'dashboard')).key).toBe('org--x')
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST /api/models/download',
      'DELETE /api/models/downloads/dl_0123456789ab',
      'DELETE /api/models/gpt-oss-120b',
      'DELETE /api/models/a%2F..%2Fb%3Fc',
      'POST /api/models',
    ])
    expect(seen.map((s) => s.headers['x-spark-actor'])).toEqual([
      'dashboard',
      'dashboard',
      'dashboard:ops',
      'dashboard',
      'dashboard',
    ])
    expect(JSON.parse(seen[0]!.body)).toEqual({ repo: 'org/x' })
    expect(JSON.parse(seen[4]!.body)).toEqual({ repo: 'org/x', name: 'X' })
    expect(seen[2]!.body).toBe('')
  })

  it('turns refusals into ModelsSourceError with the message, the fields of a 422 and the nodes of a 502', async () => {
    const nodes = [{ node: 'spark-2', ok: false, error: 'ssh: refused' }]
    const bodies: Record<string, [number, unknown]> = {
      'DELETE /api/models/loaded': [
        409,
        { detail: 'loaded is loaded right now; swap to another model or stop it first.' },
      ],
      'DELETE /api/models/partial': [502, { detail: 'could not be removed on spark-2', nodes }],
      'POST /api/models': [
        422,
        { detail: [{ loc: ['body', 'local_path'], msg: 'must be an absolute path', type: 'value_error' }] },
      ],
      'POST /api/models/download': [429, { detail: 'Too many downloads running.' }],
    }
    const { source } = await controller((req, res) => {
      const [status, body] = bodies[`${req.method} ${req.url}`] ?? [404, { detail: 'Not Found' }]
      json(res, status, body)
    })
    const refusal = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(ModelsSourceError)
      return err as ModelsSourceError
    }
    const loaded = await refusal(source.remove('loaded', 'dashboard'))
    expect([loaded.status, loaded.message]).toEqual([
      409,
      'loaded is loaded right now; swap to another model or stop it first.',
    ])
    const partial = await refusal(source.remove('partial', 'dashboard'))
    expect([partial.status, partial.extra.nodes]).toEqual([502, nodes])
    const invalid = await refusal(source.add({ local_path: '/x' }, 'dashboard'))
    expect(invalid.status).toBe(422)
    expect(invalid.fields).toEqual([{ field: 'local_path', message: 'must be an absolute path' }])
    expect(invalid.message).toBe('local_path: must be an absolute path')
    const busy = await refusal(source.download('org/x', 'dashboard'))
    expect([busy.status, busy.message]).toEqual([429, 'Too many downloads running.'])
  })

  it('gives up on a controller that never answers within the timeout', async () => {
    const { source } = await controller(() => {})
    const started = Date.now()
    const err = await source.remove('x', 'dashboard').catch((e: unknown) => e)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(504)
    expect(err).not.toBeInstanceOf(ModelsSourceError)
  })

  it('rejects at once when nothing listens on the address', async () => {
    const port = await closedPort()
    const source = createModelsSource({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 5000 })
    onTestFinished(() => source.close())
    const err = await source.menu().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).status).toBe(503)
  })
})
