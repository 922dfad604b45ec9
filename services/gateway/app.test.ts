/**
 * The gateway's own routes against fake backends on real sockets: status and discovery, the model
 * list, the merged OpenAPI document and its page, readiness, the dashboard mount.
 */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { assessCapabilities, type Capability } from '../../shared/capabilities.ts'
import type { DependencyState, ReadyReport } from '../../shared/readiness.ts'
import type { AppEnv } from '../../shared/service.ts'
import { listen, rawRequest, startGateway } from './testing/harness.ts'
import { trackServers } from './testing/tracked.ts'

const track = trackServers()

const up = (kind: string, base_url: string, model: string | null, state: DependencyState = 'up') => ({
  state,
  critical: false,
  info: { kind, base_url, model, disabled: false },
})

const ready = (
  dependencies: ReadyReport['dependencies'],
  simulated = false,
  declared: Capability[] = [],
): ReadyReport => ({
  service: 'x',
  status: 'ready',
  simulated,
  checked_at: new Date().toISOString(),
  dependencies,
  capabilities: assessCapabilities(declared, dependencies),
})

const CHAT: Capability = {
  name: 'chat',
  title: 'Chat',
  needs: ['vllm'],
  built: ['POST /v1/chat/completions'],
  planned: [],
}
/** The speech-proxy today: its upstreams answer, but transcription and TTS are not built. */
const SPEECH: Capability[] = [
  {
    name: 'voices',
    title: 'The voice list',
    needs: ['kokoro'],
    built: ['GET /v1/audio/voices'],
    planned: [],
  },
  { name: 'transcription', title: 'Transcription', needs: ['parakeet'], built: [], planned: ['POST /x'] },
  { name: 'tts', title: 'Text to speech', needs: ['kokoro'], built: [], planned: ['POST /y'] },
]

/** A backend answering `/ready`, `/openapi.json` and, optionally, `/v1/models`. */
function backend(report: ReadyReport, extra: Record<string, unknown> = {}) {
  return listen((req, res) => {
    req.resume()
    const routes: Record<string, unknown> = { '/ready': report, ...extra }
    const body = routes[req.url ?? '']
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body ?? { detail: 'Not Found' }))
  })
}

const swapDoc = {
  openapi: '3.1.0',
  info: { title: 'swap-controller', version: '1' },
  paths: {
    '/api/swap': { post: { summary: 'Start a swap', responses: { 200: { description: 'job id' } } } },
  },
  components: { schemas: { SwapRequest: { type: 'object', properties: { recipe: { type: 'string' } } } } },
}
const speechList = {
  object: 'list',
  data: [
    { id: 'parakeet-tdt', object: 'model', created: 1, owned_by: 'parakeet' },
    {
      id: 'af_heart',
      object: 'model',
      created: 1,
      owned_by: 'kokoro',
    },
  ],
}

async function cluster(options: { disabled?: string[]; speechUp?: boolean; speech?: Capability[] } = {}) {
  const swap = await track(
    backend(
      ready(
        {
          vllm: up('llm', 'http://<spark-1-ip>:8888/v1', 'Qwen/Qwen3-8B'),
          'node:spark-1': {
            state: 'up' as const,
            critical: false,
            info: { kind: 'node', name: 'spark-1', host: '<spark-1-ip>', role: 'llm' },
          },
        },
        false,
        [CHAT],
      ),
      { '/openapi.json': swapDoc },
    ),
  )
  const speech =
    options.speechUp === false
      ? undefined
      : await track(
          backend(
            ready(
              {
                parakeet: up('stt', 'http://<spark-2-ip>:8000', 'parakeet-tdt'),
                kokoro: up('tts', 'http://<spark-2-ip>:8880', 'kokoro'),
              },
              true,
              options.speech ?? SPEECH,
            ),
            { '/v1/models': speechList },
          ),
        )
  const gw = await track(
    startGateway(
      { 'swap-controller': swap.url, 'speech-proxy': speech?.url },
      { config: { DISABLED_SERVICES: options.disabled ?? [] } },
    ),
  )
  return gw
}

describe('GET /api/status', () => {
  it('answers 200 with the aggregated view and the earlier model fields, even with parts down', async () => {
    const gw = await cluster()
    const res = await rawRequest(`${gw.url}/api/status`)
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body)
    expect(body).toMatchObject({
      loaded_model: 'Qwen/Qwen3-8B',
      model: 'Qwen/Qwen3-8B',
      simulated: true,
      overall: 'degraded',
    })
    expect(body.summary).toBe('Search is not answering; Redaction is not answering; and 1 more problem')
    expect(body.services.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).toEqual([
      'swap-controller:up',
      'speech-proxy:up',
      'vector-search:down',
      'redaction-gateway:down',
      'connectivity-monitor:down',
    ])
    expect(body.nodes).toEqual([
      {
        name: 'spark-1',
        host: '<spark-1-ip>',
        role: 'llm',
        reachable: true,
        state: 'up',
        detail: 'Working.',
      },
    ])
    expect(Date.parse(body.checked_at)).not.toBeNaN()
  })
})

describe('GET /api/endpoints', () => {
  it('lists each upstream with base_url, ready, status, model and disabled', async () => {
    const gw = await cluster({ disabled: ['kokoro'] })
    const body = JSON.parse((await rawRequest(`${gw.url}/api/endpoints`)).body)
    expect(Object.keys(body)).toEqual(['vllm', 'parakeet', 'kokoro', 'embeddings', 'qdrant'])
    expect(body.vllm).toEqual({
      name: 'vllm',
      kind: 'llm',
      base_url: 'http://<spark-1-ip>:8888/v1',
      ready: true,
      status: 'ready',
      model: 'Qwen/Qwen3-8B',
      disabled: false,
      capabilities: { chat: 'up' },
    })
    // Parakeet answers its health check, but transcription is not built: nothing can use it yet.
    expect(body.parakeet).toMatchObject({
      ready: false,
      status: 'not_ready',
      model: 'parakeet-tdt',
      capabilities: { transcription: 'not_built' },
    })
    expect(body.kokoro).toMatchObject({
      ready: false,
      status: 'disabled',
      disabled: true,
      base_url: 'http://<spark-2-ip>:8880',
    })
    // vector-search is not running: its upstreams are not ready, and say nothing they do not know.
    expect(body.qdrant).toEqual({
      name: 'qdrant',
      kind: 'vector_db',
      base_url: null,
      ready: false,
      status: 'not_ready',
      model: null,
      disabled: false,
      capabilities: {},
    })
  })

  it('calls parakeet ready once transcription is built and up', async () => {
    const built = SPEECH.map(
      (c): Capability => (c.name === 'transcription' ? { ...c, built: ['POST /x'], planned: [] } : c),
    )
    const gw = await cluster({ speech: built })
    const body = JSON.parse((await rawRequest(`${gw.url}/api/endpoints`)).body)
    expect(body.parakeet).toMatchObject({
      ready: true,
      status: 'ready',
      capabilities: { transcription: 'up' },
    })
  })
})

describe('GET /api/status capabilities', () => {
  it('lists each capability: built with its upstream up is up, unbuilt is not_built though its upstream is up', async () => {
    const gw = await cluster()
    const body = JSON.parse((await rawRequest(`${gw.url}/api/status`)).body)
    expect(body.capabilities.map((c: { name: string; state: string }) => `${c.name}:${c.state}`)).toEqual([
      'chat:up',
      'voices:up',
      'transcription:not_built',
      'tts:not_built',
    ])
    expect(body.upstreams.find((u: { name: string }) => u.name === 'parakeet').state).toBe('up')
  })
})

describe('GET /v1/models', () => {
  it('lists the loaded LLM first (tools chat with the first id), then the audio models and voices', async () => {
    const gw = await cluster()
    const body = JSON.parse((await rawRequest(`${gw.url}/v1/models`)).body)
    expect(body.object).toBe('list')
    expect(body.data.map((m: { id: string }) => m.id)).toEqual(['Qwen/Qwen3-8B', 'parakeet-tdt', 'af_heart'])
  })

  it('keeps listing the STT model and voices, but not as ready while transcription and TTS are not built', async () => {
    const gw = await cluster()
    const body = JSON.parse((await rawRequest(`${gw.url}/v1/models`)).body)
    const usable = body.data.map((m: { id: string; ready: boolean; capability_state: string }) => [
      m.id,
      m.ready,
      m.capability_state,
    ])
    expect(usable).toEqual([
      ['Qwen/Qwen3-8B', true, 'up'],
      ['parakeet-tdt', false, 'not_built'],
      ['af_heart', false, 'not_built'],
    ])
  })

  it('still answers 200 with what is known when speech-proxy is down', async () => {
    const gw = await cluster({ speechUp: false })
    const res = await rawRequest(`${gw.url}/v1/models`)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).data.map((m: { id: string }) => m.id)).toEqual(['Qwen/Qwen3-8B'])
  })
})

describe('OpenAPI and docs', () => {
  it('serves the merged document at /openapi.json', async () => {
    const gw = await cluster()
    const doc = JSON.parse((await rawRequest(`${gw.url}/openapi.json`)).body)
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/status', '/api/endpoints', '/v1/models', '/api/swap']),
    )
    expect(doc.components.schemas['swap-controller.SwapRequest']).toBeDefined()
    expect(doc.components.schemas.ClusterStatus).toBeDefined()
    expect(doc['x-missing-services']).toEqual(expect.arrayContaining(['speech-proxy', 'vector-search']))
    const same = JSON.parse((await rawRequest(`${gw.url}/api/gateway/openapi.json`)).body)
    expect(same.paths).toEqual(doc.paths)
  })

  it('renders /docs as plain HTML with every route', async () => {
    const gw = await cluster()
    const res = await rawRequest(`${gw.url}/docs`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('<code>/api/swap</code> Start a swap')
    expect(res.body).toContain('<code>/api/status</code>')
    expect(res.body).not.toMatch(/<script|https?:\/\/cdn/i)
  })
})

describe('readiness and errors', () => {
  it('reports each backend as a non-critical dependency', async () => {
    const gw = await cluster()
    const res = await rawRequest(`${gw.url}/ready`)
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body)
    expect(body.status).toBe('degraded')
    expect(Object.keys(body.dependencies)).toEqual([
      'swap-controller',
      'speech-proxy',
      'vector-search',
      'redaction-gateway',
      'connectivity-monitor',
    ])
    expect(body.dependencies['swap-controller']).toMatchObject({ state: 'up', critical: false })
    expect(body.dependencies['vector-search']).toMatchObject({ state: 'down', critical: false })
  })

  it('answers unknown paths with 404 in the style of the path', async () => {
    const gw = await track(startGateway({}))
    const openai = JSON.parse((await rawRequest(`${gw.url}/v1/nothing`)).body)
    expect(openai.error.type).toBe('not_found_error')
    const problem = await rawRequest(`${gw.url}/api/nothing`)
    expect(problem.status).toBe(404)
    expect(problem.headers['content-type']).toBe('application/problem+json')
  })

  it('guards its own control routes against cross-site posts too', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/api/status`, {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
    })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).detail).toContain('Cross-site')
  })
})

describe('dashboard mount', () => {
  function stubDashboard(seen: string[]) {
    const ui = new Hono<AppEnv>()
    ui.use(async (c, next) => {
      seen.push(`${c.req.method} ${c.req.path} ${c.var.requestId}`)
      await next()
    })
    ui.get('/', (c) => c.html('<h1>overview</h1>'))
    ui.get('/ui/swap', (c) => c.html('<h1>swap</h1>'))
    ui.post('/ui/swap', (c) => c.text('should not be reachable'))
    ui.get('/static/app.css', (c) => c.body('body{}', 200, { 'content-type': 'text/css' }))
    ui.get('/api/status', (c) => c.text('the dashboard must not shadow API routes'))
    return ui
  }

  it('serves /, /ui/* and /static/* for GET and HEAD, with the gateway request id', async () => {
    const seen: string[] = []
    const gw = await track(startGateway({}, { dashboard: stubDashboard(seen) }))
    const home = await rawRequest(`${gw.url}/`, { headers: { 'x-request-id': 'rid-1' } })
    expect(home).toMatchObject({ status: 200, body: '<h1>overview</h1>' })
    expect(seen).toContain('GET / rid-1')
    expect((await rawRequest(`${gw.url}/ui/swap`)).body).toBe('<h1>swap</h1>')
    expect((await rawRequest(`${gw.url}/static/app.css`)).headers['content-type']).toBe('text/css')
    expect(await rawRequest(`${gw.url}/ui/swap`, { method: 'HEAD' })).toMatchObject({ status: 200, body: '' })
  })

  it('mounts nothing else: no POST, no API paths, and its 404s are ours', async () => {
    const gw = await track(startGateway({}, { dashboard: stubDashboard([]) }))
    expect((await rawRequest(`${gw.url}/ui/swap`, { method: 'POST' })).status).toBe(404)
    expect((await rawRequest(`${gw.url}/api/status`)).body).not.toContain('shadow')
    const missing = await rawRequest(`${gw.url}/ui/nowhere`)
    expect(missing.status).toBe(404)
    expect(missing.headers['content-type']).toBe('application/problem+json')
  })

  it('shows a placeholder page without a dashboard', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('/docs')
  })
})
