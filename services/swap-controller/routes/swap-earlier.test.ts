/** `GET /api/swap/{id}/stream` and `POST /api/swap/{key}/validate` through buildApp, with a real engine and fakes. */
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { patternMatches } from '../../../shared/method-not-allowed.ts'
import { type Deferred, deferred } from '../../../shared/testing/deferred.ts'
import { sseReader } from '../../../ui/fixtures/sse.ts'
import type { LogLineEvent, LogTail } from '../adapters/log-tail.ts'
import type { TelemetryPoller } from '../adapters/telemetry-poller.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { parseRecipe } from '../domain/catalog/recipe.ts'
import { buildInventory } from '../domain/inventory.ts'
import { createSwapEngine } from '../domain/swap/engine.ts'
import type { SwapPlan } from '../domain/swap/plan.ts'
import { type ClusterDriver, SwapFailure } from '../domain/swap/ports.ts'
import { lockedCoordination, testRecipe as recipe } from '../testing/engine-parts.ts'
import { FakeSshNode, FakeSshNodes, healthySpark } from '../testing/fakes.ts'

const GIB = 2 ** 30
const ENTRIES = [
  recipe('old', 'old-model'),
  recipe('new', 'new-model'),
  recipe('huge', 'huge-model', 500),
  parseRecipe('name: x\n', { file: 'broken.yaml' }),
]

function fakeLogs() {
  const lines: LogLineEvent[] = []
  const listeners = new Set<(e: LogLineEvent) => void>()
  const tail: LogTail & { emit(node: string, line: string, at?: Date): void; listeners: number } = {
    nodes: ['spark-1', 'spark-2'],
    replayLines: 500,
    start: () => undefined,
    stop: async () => undefined,
    subscribe(l) {
      listeners.add(l)
      return () => void listeners.delete(l)
    },
    replay: () => [...lines],
    kick: () => undefined,
    status: () => [],
    emit(node, line, at = new Date()) {
      const e = { node, line, at: at.toISOString() }
      lines.push(e)
      for (const l of listeners) l(e)
    },
    get listeners() {
      return listeners.size
    },
  }
  return tail
}

const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
})

/** A gate the fake driver waits on in `awaitReady`, so a test decides when the load ends. */
function setup(driver: Partial<ClusterDriver> = {}, telemetry?: TelemetryPoller) {
  const calls = {
    stops: [] as string[],
    verifies: 0,
    launches: [] as string[],
    audits: [] as Record<string, unknown>[],
  }
  let open: (fail?: string) => void = () => undefined
  // The n-th load's wait (0 = the first), resolved when the engine reaches it.
  const waits: Deferred<void>[] = []
  const waiting = (n: number) => (waits[n] ??= deferred())
  let loads = 0
  const gate = () => {
    const load = new Promise<void>((resolve, reject) => {
      open = (fail) => (fail ? reject(new SwapFailure('load', fail)) : resolve())
    })
    waiting(loads++).resolve()
    return load
  }
  const state = { locked: false, loaded: ['old-model'] }
  const logs = fakeLogs()
  const engine = createSwapEngine({
    catalog: { snapshot: async () => ({ dir: '/r', entries: ENTRIES, notes: [], readAt: '' }) },
    driver: {
      memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 100 * GIB])),
      stop: async (p: SwapPlan) => void calls.stops.push(p.recipe),
      verifyStopped: async () => void calls.verifies++,
      launch: async (p) => void calls.launches.push(p.recipe),
      awaitReady: () => gate(),
      logExcerpt: async () => null,
      ...driver,
    },
    coordination: lockedCoordination(state, calls.audits),
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    loadedModels: async () => state.loaded,
    inventory: {
      nodes: [
        { name: 'spark-1', user: 'u', dockerDir: '/home/u/d', role: 'head' },
        { name: 'spark-2', user: 'u', dockerDir: '/home/u/d', role: 'worker' },
      ],
    },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 5,
    fitPolicy: 'refuse',
  })
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const shutdown = new AbortController()
  const app = buildApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes().add(new FakeSshNode('spark-1', healthySpark)),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    shutdown: shutdown.signal,
    logTail: logs,
    telemetry,
    swap: engine,
  })
  closers.push(async () => {
    open()
    await engine.idle()
    shutdown.abort()
    engine.close()
  })
  return {
    app,
    engine,
    logs,
    calls,
    state,
    release: (fail?: string) => open(fail),
    /** Resolves when the n-th load (0 = the first, 1 = a rollback's) waits for `release`. */
    loading: (n = 0) => waiting(n).promise,
  }
}

const post = (
  app: ReturnType<typeof setup>['app'],
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

async function stream(app: ReturnType<typeof setup>['app'], id: string) {
  const res = await app.request(`/api/swap/${id}/stream`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/event-stream')
  const events = sseReader(res.body!)
  closers.push(() => events.cancel().catch(() => undefined))
  return events
}

describe('GET /api/swap/{id}/stream', () => {
  it('replays the lines so far, streams live ones and status events, then `done` and the end', async () => {
    const { app, logs, release, loading } = setup()
    const job = await (await post(app, '/api/swap', { recipe: 'new' })).json()
    await loading()
    logs.emit('spark-1', 'Loading safetensors checkpoint shards: 50% Completed')
    const events = await stream(app, job.job_id)
    const first = await events.next()
    expect(first?.event).toBe('status')
    expect(JSON.parse(first!.data)).toMatchObject({ job_id: job.job_id, outcome: 'running' })
    expect(await events.next()).toEqual({
      event: 'message',
      data: 'Loading safetensors checkpoint shards: 50% Completed',
    })
    logs.emit('spark-2', 'worker ready')
    logs.emit('spark-1', 'INFO:     Application startup complete.')
    expect(await events.next()).toEqual({ event: 'message', data: '[spark-2] worker ready' })
    expect((await events.next())?.data).toBe('INFO:     Application startup complete.')
    release()
    const rest = []
    for (let e = await events.next(); e; e = await events.next()) rest.push(e)
    expect(rest.at(-1)?.event).toBe('done')
    expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({
      job_id: job.job_id,
      status: 'ready',
      outcome: 'ready',
    })
    // Status and outcome agree: `ready` comes only with `done` (outcome ready), never as running.
    const statuses = [first!, ...rest].filter((e) => e.event === 'status').map((e) => JSON.parse(e.data))
    expect(statuses.length).toBeGreaterThan(0)
    for (const s of statuses) expect(s.outcome).toBe('running')
    expect(statuses.map((s) => s.status)).not.toContain('ready')
    expect(logs.listeners).toBe(0)
  })

  it('holds `done` of a ready job briefly for a startup line the log tail delivers late', async () => {
    const { app, engine, logs, release } = setup()
    const job = await (await post(app, '/api/swap', { recipe: 'new' })).json()
    const events = await stream(app, job.job_id)
    expect((await events.next())?.event).toBe('status')
    release()
    // The job is ready (the stream heard it at once) and the startup line has not come yet.
    await engine.idle()
    expect(engine.job(job.job_id)?.outcome).toBe('ready')
    logs.emit('spark-1', 'INFO:     Application startup complete.')
    const rest = []
    for (let e = await events.next(); e; e = await events.next()) rest.push(e)
    expect(rest.at(-2)).toEqual({ event: 'message', data: 'INFO:     Application startup complete.' })
    expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({ outcome: 'ready' })
  })

  it('for a finished job: the lines of its window, then `done` with the failure and rollback', async () => {
    const { app, engine, logs, release, loading } = setup()
    logs.emit('spark-1', 'a line from before the swap', new Date(Date.now() - 1000))
    const job = await (await post(app, '/api/swap', { recipe: 'new' })).json()
    await loading()
    logs.emit('spark-1', 'torch.OutOfMemoryError: CUDA out of memory')
    release('vLLM failed on spark-1 (oom)')
    await loading(1)
    release()
    await engine.idle()
    const events = await stream(app, job.job_id)
    expect(await events.next()).toEqual({
      event: 'message',
      data: 'torch.OutOfMemoryError: CUDA out of memory',
    })
    const done = await events.next()
    expect(done?.event).toBe('done')
    expect(JSON.parse(done!.data)).toMatchObject({
      outcome: 'rolled_back',
      rollback: { recipe: 'old', outcome: 'ready' },
    })
    expect(await events.next()).toBeUndefined()
  })

  it('answers 404 {"detail"} for an unknown or malformed id, and leaves /api/swap/{id} alone', async () => {
    const { app } = setup()
    for (const id of ['swp_0000000000000000', 'nope', 'lock']) {
      const res = await app.request(`/api/swap/${id}/stream`)
      expect(res.status, id).toBe(404)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect(typeof (await res.json()).detail).toBe('string')
    }
    expect((await app.request('/api/swap/swp_0000000000000000')).status).toBe(404)
  })
})

describe('route order', () => {
  it('leaves /api/swap/telemetry/stream to the telemetry routes (it has the shape of /api/swap/{id}/stream)', async () => {
    const snapshot = {
      interval_ms: 2000,
      nodes: [],
      vllm: { base_url: null, at: null, models: [], error: null, polls: 0, skipped: 0 },
    }
    const telemetry = {
      ...{
        intervalMs: 2000,
        historySize: 10,
        start: () => undefined,
        stop: async () => undefined,
        pollNow: async () => undefined,
      },
      ...{
        snapshot: () => snapshot,
        history: () => ({ nodes: {}, vllm: {} }),
        subscribe: () => () => undefined,
      },
    } as unknown as TelemetryPoller
    const { app } = setup({}, telemetry)
    const res = await app.request('/api/swap/telemetry/stream')
    expect(res.status).toBe(200)
    const events = sseReader(res.body!)
    closers.push(() => events.cancel().catch(() => undefined))
    expect((await events.next())?.event).toBe('telemetry')
  })
})

describe('POST /api/swap/{key}/validate', () => {
  it('returns the verdict, warnings, fit and commands, and runs nothing', async () => {
    const { app, calls } = setup()
    const res = await post(app, '/api/swap/new/validate')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      key: 'new',
      valid: true,
      reasons: [],
      mode: 'solo',
      model: 'new-model',
      from_model: 'old-model',
    })
    expect(body.fit).toMatchObject({ fits: true, allowed: true, policy: 'refuse' })
    expect(body.commands.launch[0].command).toBe(
      "'timeout' '-s' 'KILL' '601.000s' '/home/u/d/run-recipe.sh' 'new' '-d' '--port' '8888' '--solo' '--' '--served-model-name' 'new-model' '--gpu-memory-utilization' '0.9'",
    )
    expect(body.commands.teardown).toHaveLength(4)
    expect(calls).toMatchObject({ stops: [], launches: [], verifies: 0, audits: [] })
  })

  it('says why a recipe is not valid: an invalid file, or one that does not fit', async () => {
    const { app } = setup()
    const broken = await (await post(app, '/api/swap/broken/validate')).json()
    expect(broken).toMatchObject({ key: 'broken', valid: false, fit: null, commands: null })
    expect(broken.reasons).toEqual(['container: is required', 'command: is required'])
    const huge = await (await post(app, '/api/swap/huge/validate')).json()
    expect(huge).toMatchObject({ valid: false, fit: { fits: false, allowed: false } })
    expect(huge.reasons[0]).toMatch(/^Does not fit: spark-1 needs/)
  })

  it('answers 404 for an unknown key and 422 for an invalid key or mode, as {"detail"}', async () => {
    const { app } = setup()
    const unknown = await post(app, '/api/swap/no-such-recipe/validate')
    expect(unknown.status).toBe(404)
    expect(typeof (await unknown.json()).detail).toBe('string')
    for (const key of ['%24(id)', '-rf', '.hidden', 'a%3Bb', '%60id%60']) {
      const res = await post(app, `/api/swap/${key}/validate`)
      expect(res.status, key).toBe(422)
      expect(Array.isArray((await res.json()).detail)).toBe(true)
    }
    expect((await post(app, '/api/swap/new/validate?mode=cluster')).status).toBe(422)
  })

  it('locates a mode the recipe does not run where it was given: the query here, the body on POST /api/swap', async () => {
    const { app } = setup()
    const query = await post(app, '/api/swap/new/validate?mode=cluster')
    expect(query.status).toBe(422)
    expect((await query.json()).detail).toEqual([
      expect.objectContaining({ loc: ['query', 'mode'], msg: expect.stringMatching(/runs only solo/) }),
    ])
    const badValue = await post(app, '/api/swap/new/validate?mode=duo')
    expect((await badValue.json()).detail[0].loc).toEqual(['query', 'mode'])
    const body = await post(app, '/api/swap', { recipe: 'new', mode: 'cluster' })
    expect(body.status).toBe(422)
    expect((await body.json()).detail).toEqual([expect.objectContaining({ loc: ['body', 'mode'] })])
  })
})

describe('a known path with the wrong method', () => {
  it('answers 405 with Allow in the path style; an unknown path stays 404', async () => {
    const { app, calls } = setup()
    const put = await app.request('/api/swap', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"recipe":"new"}',
    })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('POST')
    expect(await put.json()).toEqual({ detail: 'PUT is not allowed on /api/swap; allowed: POST.' })
    const state = await app.request('/api/swap/state', { method: 'DELETE' })
    expect(state.status).toBe(405)
    expect(state.headers.get('allow')).toBe('GET, HEAD')
    expect(state.headers.get('content-type')).toContain('application/problem+json')
    const validate = await app.request('/api/swap/new/validate', { method: 'GET' })
    expect(validate.status).toBe(405)
    expect(validate.headers.get('allow')).toBe('POST')
    expect((await app.request('/api/swap/new/nothing-here', { method: 'PUT' })).status).toBe(404)
    expect((await app.request('/api/nothing', { method: 'GET' })).status).toBe(404)
    // Routes with the method still answer as before.
    expect((await app.request('/api/swap/state')).status).toBe(200)
    expect(calls.launches).toEqual([])
  })

  it('matches route patterns segment by segment', () => {
    expect(patternMatches('/api/swap/:id/stream', '/api/swap/swp_1/stream')).toBe(true)
    expect(patternMatches('/api/swap/:id', '/api/swap/swp_1/stream')).toBe(false)
    expect(patternMatches('/api/swap', '/api/swap/')).toBe(true)
    expect(patternMatches('/static/*', '/static/a/b')).toBe(true)
    expect(patternMatches('/api/swap/:id', '/api/swap')).toBe(false)
  })
})
