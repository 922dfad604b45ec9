/**
 * The swap-controller's routes do not depend on the order they are mounted in: every literal
 * `/api/swap/…` path reaches its own handler, and `/api/swap/{id}` (and `{id}/stream`) only job
 * ids — whether the route groups are mounted as buildApp mounts them or in reverse. And `Allow`
 * on a wrong method names only the methods the path really has.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { allowedMethods, methodNotAllowed, patternMatches } from '../../../shared/method-not-allowed.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import type { LogTail } from '../adapters/log-tail.ts'
import { openSwapStore } from '../adapters/store/store.ts'
import { createTelemetryPoller } from '../adapters/telemetry-poller.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp, routeGroups, type SwapControllerDeps, swapControllerService } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { buildInventory } from '../domain/inventory.ts'
import { createSwapEngine } from '../domain/swap/engine.ts'
import { testRecipe } from '../testing/engine-parts.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

const idleLogs: LogTail = {
  nodes: ['spark-1'],
  replayLines: 10,
  start: () => undefined,
  stop: async () => undefined,
  subscribe: () => () => undefined,
  replay: () => [
    { node: 'spark-1', line: 'INFO: Application startup complete.', at: '2026-03-01T12:00:00Z' },
  ],
  kick: () => undefined,
  status: () => [],
}

async function deps(): Promise<SwapControllerDeps> {
  const store = await openSwapStore({ path: ':memory:' })
  const coordination = createCoordination({ store })
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const inventory = buildInventory(config)
  const ssh = new FakeSshNodes()
  const entries = [testRecipe('old', 'old-model'), testRecipe('new', 'new-model')]
  const recipes = { snapshot: async () => ({ dir: '/r', entries, notes: [], readAt: '' }) }
  const engine = createSwapEngine({
    catalog: recipes,
    driver: {
      memory: async (nodes) => Object.fromEntries(nodes.map((n) => [n, 100 * 2 ** 30])),
      stop: async () => undefined,
      verifyStopped: async () => undefined,
      launch: async () => undefined,
      awaitReady: async () => undefined,
      logExcerpt: async () => null,
    },
    coordination,
    loads: { start: () => undefined, finish: () => true, recentLoads: async () => [] },
    loadedModels: async () => ['old-model'],
    inventory: { nodes: [{ name: 'spark-1', user: 'owner', dockerDir: '/home/owner/d', role: 'head' }] },
    vllmPort: 8888,
    container: 'vllm_node',
    stopGraceS: 5,
    fitPolicy: 'refuse',
  })
  const shutdown = new AbortController()
  closers.push(async () => {
    await engine.idle()
    shutdown.abort()
    engine.close()
    store.close()
  })
  return {
    config,
    inventory,
    ssh,
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    shutdown: shutdown.signal,
    swap: engine,
    coordination,
    catalog: { recipes, history: store.loads },
    logTail: idleLogs,
    telemetry: createTelemetryPoller({ inventory, ssh, cacheDir: '~/.cache/huggingface' }),
  }
}

/** As buildApp does it, but with the route groups mounted in the opposite order. */
function reversedApp(d: SwapControllerDeps): ServiceApp {
  const app = swapControllerService(d)
  for (const group of routeGroups(d).reverse()) app.route('/', group)
  app.all('*', methodNotAllowed(app))
  return app
}

const JSON_HEADERS = { 'content-type': 'application/json' }

describe.each([
  ['as buildApp mounts them', buildApp],
  ['mounted in reverse', reversedApp],
])('route groups %s', (_, build) => {
  it('send every literal /api/swap path to its own handler', async () => {
    const app = build(await deps())
    const json = async (path: string, init?: RequestInit) => {
      const res = await app.request(path, init)
      return { status: res.status, body: await res.json() }
    }
    expect(await json('/api/swap/state')).toMatchObject({ status: 200, body: { state: 'idle', job: null } })
    expect(await json('/api/swap/lock')).toMatchObject({ status: 200, body: { held: false } })
    expect(await json('/api/swap/history')).toMatchObject({ status: 200, body: { entries: [] } })
    expect(await json('/api/swap/logs/recent?tail=5')).toMatchObject({
      status: 200,
      body: { lines: [{ node: 'spark-1', line: 'INFO: Application startup complete.' }] },
    })
    const catalog = await json('/api/swap/models')
    expect(catalog).toMatchObject({ status: 200, body: { directory: '/r' } })
    expect(catalog.body.models.map((m: { key: string }) => m.key)).toEqual(['old', 'new'])
    expect(await json('/api/swap/telemetry')).toMatchObject({
      status: 200,
      body: { nodes: expect.any(Array) },
    })
    const stop = await json('/api/swap/stop', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"dry_run":true}',
    })
    expect(stop).toMatchObject({ status: 200, body: { dry_run: true } })
    const cancel = await app.request('/api/swap/cancel', { method: 'POST' })
    expect(cancel.status).toBe(409)
    expect(cancel.headers.get('content-type')).toContain('application/problem+json')
    for (const path of ['/api/swap/events', '/api/swap/telemetry/stream', '/api/swap/logs']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toBe('text/event-stream')
      await res.body?.cancel()
    }
  })

  it('send only job ids to /api/swap/{id} and /api/swap/{id}/stream', async () => {
    const app = build(await deps())
    const started = await app.request('/api/swap', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"recipe":"new"}',
    })
    expect(started.status).toBe(202)
    const { job_id: id } = await started.json()
    expect(id).toMatch(/^swp_[0-9a-f]{16}$/)
    const job = await app.request(`/api/swap/${id}`)
    expect(job.status).toBe(200)
    expect(await job.json()).toMatchObject({ job_id: id, recipe: 'new' })
    for (const path of ['/api/swap/swp_0000000000000000', '/api/swap/swp_0000000000000000/stream']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(404)
      expect(await res.json()).toEqual({ detail: 'No swap job swp_0000000000000000.' })
    }
    // Metrics name the route by its template, not by the pattern its parameter matches.
    const metrics = await (await app.request('/metrics')).text()
    expect(metrics).toContain('route="/api/swap/:id",method="GET",status="200"')
    expect(metrics).toContain('route="/api/swap/:id/stream",method="GET",status="404"')
    // Not a job id: no route has it, so the path-style 404 for an unknown route.
    const other = await app.request('/api/swap/not-a-job')
    expect(other.status).toBe(404)
    expect(await other.json()).toEqual({ detail: 'No route for GET /api/swap/not-a-job.' })
  })

  it('answer a wrong method with 405 and only the methods the path has in Allow', async () => {
    const app = build(await deps())
    const allow = async (method: string, path: string) => {
      const res = await app.request(path, { method })
      expect(res.status, `${method} ${path}`).toBe(405)
      return res.headers.get('allow')
    }
    expect(await allow('GET', '/api/swap/stop')).toBe('POST')
    expect(await allow('GET', '/api/swap/cancel')).toBe('POST')
    expect(await allow('PUT', '/api/swap/lock')).toBe('DELETE, GET, HEAD, POST')
    expect(await allow('DELETE', '/api/swap/state')).toBe('GET, HEAD')
    expect(await allow('POST', '/api/swap/telemetry/stream')).toBe('GET, HEAD')
    expect(await allow('DELETE', '/api/swap/swp_0000000000000000')).toBe('GET, HEAD')
  })
})

describe('patternMatches', () => {
  it('matches a constrained parameter only where its pattern fits the whole segment', () => {
    const job = '/api/swap/:id{swp_[0-9a-f]{16}}'
    expect(patternMatches(job, '/api/swap/swp_0123456789abcdef')).toBe(true)
    expect(patternMatches(job, '/api/swap/stop')).toBe(false)
    expect(patternMatches(job, '/api/swap/xswp_0123456789abcdef')).toBe(false)
    expect(patternMatches(`${job}/stream`, '/api/swap/telemetry/stream')).toBe(false)
    expect(patternMatches(`${job}/stream`, '/api/swap/swp_0123456789abcdef/stream')).toBe(true)
    expect(patternMatches('/api/swap/:key/validate', '/api/swap/stop/validate')).toBe(true)
  })

  it('lists the methods of every route matching a path', () => {
    const routes = [
      { method: 'GET', path: '/api/swap/:id{swp_[0-9a-f]{16}}' },
      { method: 'POST', path: '/api/swap/stop' },
      { method: 'ALL', path: '*' },
    ]
    expect(allowedMethods({ routes } as unknown as ServiceApp, '/api/swap/stop')).toEqual(['POST'])
    expect(allowedMethods({ routes } as unknown as ServiceApp, '/api/swap/swp_0123456789abcdef')).toEqual([
      'GET',
      'HEAD',
    ])
  })
})
