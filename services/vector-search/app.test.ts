import { PassThrough } from 'node:stream'
import { Hono } from 'hono'
import type { Dispatcher } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPool } from '../../shared/http-client.ts'
import { createLogger, type Logger, silentLogger } from '../../shared/logger.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { untilAborted } from '../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../shared/testing/fake-upstream.ts'
import { createEmbedModels } from './adapters/embedder-from-config.ts'
import { createVectorUpstreams } from './adapters/upstreams.ts'
import { buildApp } from './app.ts'
import { VECTOR_CAPABILITIES } from './capabilities.ts'
import { loadVectorConfig } from './config.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
const fakes: FakeUpstream[] = []
let stopSlow = new AbortController()
let seenApiKeys: Array<string | undefined> = []

function vectorApp(env: Record<string, string>, options: { dispatcher?: Dispatcher; logger?: Logger } = {}) {
  // Generous by default, so a healthy fake on a busy machine is not read as down; the slow-upstream
  // test sets its own short timeout.
  const config = loadVectorConfig({ UPSTREAM_HEALTH_TIMEOUT_MS: '5000', ...env })
  const upstreams = createVectorUpstreams(config, options.dispatcher ?? pool)
  return buildApp({
    config,
    logger: options.logger ?? silentLogger(),
    upstreams,
    ...createEmbedModels(config, options.dispatcher ?? pool),
  })
}

/** A fake with a health route at `path`; with `hangs`, the route answers only when the test ends. */
async function fakeWithHealth(path: string, hangs = false) {
  const app = new Hono().get(path, async (c) => {
    seenApiKeys.push(c.req.header('api-key'))
    if (hangs) await untilAborted(stopSlow.signal)
    return c.text('ok')
  })
  const fake = await startFake(app)
  fakes.push(fake)
  return fake.url
}

async function ready(app: ReturnType<typeof vectorApp>) {
  const res = await app.request('/ready')
  return { status: res.status, body: (await res.json()) as ReadyReport }
}

let refused: string
beforeAll(async () => {
  refused = await refusedUrl()
})
afterEach(async () => {
  stopSlow.abort()
  stopSlow = new AbortController()
  seenApiKeys = []
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(() => pool.destroy())

describe('vector-search readiness', () => {
  it('reports embeddings (/health) and Qdrant (/readyz) up, with UpstreamInfo', async () => {
    const EMBED_URL = await fakeWithHealth('/health')
    const QDRANT_URL = await fakeWithHealth('/readyz')
    const { status, body } = await ready(vectorApp({ EMBED_URL, QDRANT_URL, QDRANT_API_KEY: 'k-123' }))
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(body.dependencies.embeddings).toMatchObject({
      state: 'up',
      critical: false,
      info: { kind: 'embeddings', base_url: EMBED_URL, model: 'BAAI/bge-m3', disabled: false },
    })
    expect(body.dependencies.qdrant).toMatchObject({
      state: 'up',
      info: { kind: 'vector_db', base_url: QDRANT_URL, model: null, disabled: false },
    })
    expect(seenApiKeys).toContain('k-123')
    expect(JSON.stringify(body)).not.toContain('k-123')
  })

  it('reports a refused connection as down with "connection refused"', async () => {
    const { body } = await ready(vectorApp({ EMBED_URL: refused, QDRANT_URL: refused }))
    expect(body.status).toBe('degraded')
    expect(body.dependencies.embeddings).toMatchObject({ state: 'down', detail: 'connection refused' })
    expect(body.dependencies.qdrant).toMatchObject({ state: 'down', detail: 'connection refused' })
  })

  it('reports a health check slower than the timeout as down, within the deadline', async () => {
    const EMBED_URL = await fakeWithHealth('/health', true)
    const started = performance.now()
    const { body } = await ready(vectorApp({ EMBED_URL, UPSTREAM_HEALTH_TIMEOUT_MS: '200' }))
    expect(body.dependencies.embeddings).toMatchObject({ state: 'down', detail: 'no answer within 200 ms' })
    expect(performance.now() - started).toBeLessThan(1500)
  })

  it('reports an error status from Qdrant (shards still loading) as down', async () => {
    const app = new Hono().get('/readyz', (c) => c.text('some shards are not ready', 503))
    const fake = await startFake(app)
    fakes.push(fake)
    const { body } = await ready(vectorApp({ QDRANT_URL: fake.url }))
    expect(body.dependencies.qdrant).toMatchObject({
      state: 'down',
      detail: 'health check answered HTTP 503',
    })
  })

  it('reports upstreams in DISABLED_SERVICES as disabled without contacting them', async () => {
    const EMBED_URL = await fakeWithHealth('/health')
    const { body } = await ready(
      vectorApp({ EMBED_URL, DISABLED_SERVICES: 'embeddings,qdrant', SPARK2_HOST: '192.0.2.1' }),
    )
    expect(body.dependencies.embeddings).toMatchObject({
      state: 'disabled',
      info: { disabled: true, base_url: EMBED_URL },
    })
    expect(body.dependencies.qdrant).toMatchObject({ state: 'disabled', info: { disabled: true } })
    expect(seenApiKeys).toEqual([])
    expect(body.status).toBe('ready')
  })

  it('reports Qdrant as not_configured, "embedded store in use", without QDRANT_URL or SPARK2_HOST', async () => {
    const { status, body } = await ready(vectorApp({}))
    expect(status).toBe(200)
    expect(body.dependencies.qdrant).toMatchObject({
      state: 'not_configured',
      detail: 'embedded store in use',
      info: { kind: 'vector_db', base_url: null, disabled: false },
    })
    expect(body.dependencies.embeddings).toMatchObject({
      state: 'not_configured',
      detail: expect.stringContaining('EMBED_URL'),
    })
  })
})

describe('vector-search service surface', () => {
  it('answers /health, /ready, /metrics and /openapi.json', async () => {
    const app = vectorApp({})
    expect(await (await app.request('/health')).json()).toMatchObject({
      status: 'ok',
      service: 'vector-search',
    })
    expect((await app.request('/ready')).status).toBe(200)
    expect(await (await app.request('/metrics')).text()).toContain('http_requests_total')
    expect((await (await app.request('/openapi.json')).json()).info.title).toBe('vector-search')
  })

  it('answers every planned route with 501 in the path’s style, and no built one with 501 or 404', async () => {
    const app = vectorApp({})
    const planned = await askRoutes(app, VECTOR_CAPABILITIES, 'planned')
    expect(planned.filter((a) => a.status !== 501)).toEqual([])
    // The search routes need a store this app is built without; embeddings and rerank need only the server.
    const served = VECTOR_CAPABILITIES.filter((c) => c.name === 'embeddings' || c.name === 'rerank')
    const built = await askRoutes(app, served, 'built')
    expect(built.map((a) => a.route)).toEqual([
      'POST /v1/embeddings',
      'POST /api/search/embed',
      'POST /v1/rerank',
    ])
    expect(built.filter((a) => a.status === 501 || a.status === 404)).toEqual([])
    const other = await app.request('/v1/nothing-here')
    expect(other.status).toBe(404)
    expect((await other.json()).error.type).toBe('not_found_error')
  })

  it('reports built capabilities up with their upstreams up, and the others not_built', async () => {
    const embedUrl = await fakeWithHealth('/health')
    const qdrantUrl = await fakeWithHealth('/readyz')
    const { body } = await ready(vectorApp({ EMBED_URL: embedUrl, QDRANT_URL: qdrantUrl }))
    expect(body.dependencies.embeddings!.state).toBe('up')
    expect(Object.values(body.capabilities!).map((c) => c.state)).toEqual(
      VECTOR_CAPABILITIES.map((c) => (c.built.length > 0 ? 'up' : 'not_built')),
    )
  })

  it('never writes the Qdrant API key to the log', async () => {
    const sink = new PassThrough()
    let logged = ''
    sink.on('data', (chunk: Buffer) => (logged += chunk.toString()))
    const logger = createLogger({ service: 'vector-search', level: 'trace', destination: sink })
    const app = vectorApp({ QDRANT_URL: refused, QDRANT_API_KEY: 'k-logged?' }, { logger })
    await app.request('/ready')
    await app.request('/nowhere')
    logger.info({ config: loadVectorConfig({ QDRANT_API_KEY: 'k-logged?' }) }, 'config')
    await new Promise((r) => setImmediate(r))
    expect(logged).toContain('[redacted]')
    expect(logged).not.toContain('k-logged?')
  })
})
