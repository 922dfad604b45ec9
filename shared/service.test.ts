import { createRoute, z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { AppError } from './errors.ts'
import { silentLogger } from './logger.ts'
import { createReadiness } from './readiness.ts'
import { createService } from './service.ts'
import { captureLog } from './testing/log-capture.ts'

const echoRoute = (path: string) =>
  createRoute({
    method: 'post',
    path,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: z.object({ name: z.string().min(1), count: z.number().int() }) },
        },
      },
    },
    responses: {
      200: {
        description: 'echo',
        content: { 'application/json': { schema: z.object({ name: z.string() }) } },
      },
    },
  })

function makeApp(depState: 'up' | 'down' = 'up', critical = false) {
  const readiness = createReadiness({
    service: 'test-service',
    checks: [{ name: 'upstream', critical, check: async () => ({ state: depState, detail: 'probe' }) }],
    cacheMs: 0,
  })
  const app = createService({ name: 'test-service', logger: silentLogger(), readiness, bodyLimitBytes: 2048 })
  for (const path of ['/v1/echo', '/api/swap/echo', '/api/new-thing/echo', '/scrub'])
    app.openapi(echoRoute(path), (c) => c.json({ name: c.req.valid('json').name }, 200))
  app.get('/boom', () => {
    throw new Error('secret internals')
  })
  app.get('/api/busy', () => {
    throw new AppError(503, 'upstream_unavailable', 'busy', { retryAfterS: 7 })
  })
  return app
}

const post = (
  app: ReturnType<typeof makeApp>,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) => app.request(path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })

describe('service factory', () => {
  it('echoes a valid incoming request id and generates one otherwise', async () => {
    const app = makeApp()
    const given = await app.request('/health', { headers: { 'X-Request-Id': 'abc-123' } })
    expect(given.headers.get('x-request-id')).toBe('abc-123')
    const generated = await app.request('/health')
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const hostile = await app.request('/health', { headers: { 'X-Request-Id': 'a b;rm -rf' } })
    expect(hostile.headers.get('x-request-id')).not.toContain(' ')
  })

  it('answers validation failures with 422 in the style of each path family', async () => {
    const app = makeApp()
    const bad = JSON.stringify({ name: '', count: 'x' })
    const openai = await post(app, '/v1/echo', bad)
    expect(openai.status).toBe(422)
    const oBody = await openai.json()
    expect(oBody.error.type).toBe('invalid_request_error')
    expect(oBody.error.param).toBe('name')

    const earlier = await post(app, '/api/swap/echo', bad)
    expect(earlier.status).toBe(422)
    const eBody = await earlier.json()
    expect(eBody.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual(['body.name', 'body.count'])

    const fresh = await post(app, '/api/new-thing/echo', bad)
    expect(fresh.status).toBe(422)
    expect(fresh.headers.get('content-type')).toBe('application/problem+json')
    const pBody = await fresh.json()
    expect(pBody.status).toBe(422)
    expect(pBody.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'count'])
    expect(pBody.request_id).toBe(fresh.headers.get('x-request-id'))

    const scrub = await post(app, '/scrub', bad)
    expect((await scrub.json()).error).toBe('validation_failed')
  })

  it('turns malformed JSON into a 400, never a 500', async () => {
    const res = await post(makeApp(), '/v1/echo', '{"name": ')
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('bad_request')
  })

  it('on earlier routes, answers malformed JSON and non-JSON bodies as FastAPI did: a 422 list', async () => {
    const malformed = await post(makeApp(), '/api/swap/echo', '{"name": ')
    expect(malformed.status).toBe(422)
    expect(await malformed.json()).toEqual({
      detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
    })
    // New routes say it the same way, in their own style (problem+json).
    const fresh = await post(makeApp(), '/api/new-thing/echo', '{"name": ')
    expect(fresh.status).toBe(422)
    expect((await fresh.json()).errors).toEqual([
      { field: '', location: 'body', message: 'JSON decode error', type: 'json_invalid' },
    ])
    const text = await post(makeApp(), '/api/swap/echo', 'name=x', { 'content-type': 'text/plain' })
    expect(text.status).toBe(422)
    expect((await text.json()).detail[0]).toMatchObject({ loc: ['body'], type: 'model_attributes_type' })
  })

  it('reads an untyped body as JSON (but not on /v1, which forwards it as it came), and an empty JSON body as none', async () => {
    const app = makeApp()
    const optional = createRoute({
      method: 'delete',
      path: '/api/new-thing/optional',
      request: {
        body: {
          required: false,
          content: { 'application/json': { schema: z.object({ token: z.string() }) } },
        },
      },
      responses: { 200: { description: 'ok' } },
    })
    app.openapi(optional, (c) => c.json({ ok: true }, 200))
    const bytes = (text: string) => new TextEncoder().encode(text)
    const untyped = (path: string) =>
      app.request(path, { method: 'POST', body: bytes('{"name": "a", "count": 1}') })
    expect(await (await untyped('/api/swap/echo')).json()).toEqual({ name: 'a' })
    expect(await (await untyped('/api/new-thing/echo')).json()).toEqual({ name: 'a' })
    expect((await untyped('/v1/echo')).status).toBe(415)
    const empty = await app.request('/api/new-thing/optional', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    })
    expect(empty.status).toBe(200)
    const zero = await app.request('/api/new-thing/optional', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: bytes(''),
    })
    expect(zero.status).toBe(200)
  })

  it('leaves a JSON body unread for a route that streams it', async () => {
    const app = makeApp()
    app.post('/api/new-thing/stream', async (c) => c.text(await new Response(c.req.raw.body).text()))
    const chunks = ['{"a":', '1}']
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift()
        if (next === undefined) controller.close()
        else controller.enqueue(new TextEncoder().encode(next))
      },
    })
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit
    const res = await app.request('/api/new-thing/stream', init)
    expect(await res.text()).toBe('{"a":1}')
  })

  it('rejects bodies over the limit with 413', async () => {
    const res = await post(
      makeApp(),
      '/api/new-thing/echo',
      JSON.stringify({ name: 'x'.repeat(5000), count: 1 }),
    )
    expect(res.status).toBe(413)
  })

  it('hands a streamed multipart body on unread when the service counts uploads itself', async () => {
    const readiness = createReadiness({ service: 'uploads', checks: [], cacheMs: 0 })
    const app = createService({
      name: 'uploads',
      logger: silentLogger(),
      readiness,
      bodyLimitBytes: 2048,
      countsMultipartItself: true,
    })
    app.post('/upload', async (c) => {
      const { value } = await c.req.raw.body!.getReader().read()
      return c.text(`first ${value?.length}`)
    })
    // The rest never comes: a middleware that read the body whole to count it would never return.
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new Uint8Array(1024)),
    })
    const headers = { 'content-type': 'multipart/form-data; boundary=x' }
    const res = await app.request('/upload', { method: 'POST', headers, body, duplex: 'half' } as RequestInit)
    expect(await res.text()).toBe('first 1024')
  })

  it('hides internal errors behind a 500 with the request id, and sets Retry-After on 503', async () => {
    const app = makeApp()
    const boom = await app.request('/boom')
    expect(boom.status).toBe(500)
    expect(await boom.text()).not.toContain('secret internals')
    const busy = await app.request('/api/busy')
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('7')
  })

  it('reports unknown routes as 404 in the path style', async () => {
    const res = await makeApp().request('/v1/nothing')
    expect(res.status).toBe(404)
    expect((await res.json()).error.type).toBe('not_found_error')
  })

  it('reports readiness: degraded for an optional dependency, 503 for a critical one', async () => {
    const degraded = await makeApp('down', false).request('/ready')
    expect(degraded.status).toBe(200)
    expect((await degraded.json()).status).toBe('degraded')
    const notReady = await makeApp('down', true).request('/ready')
    expect(notReady.status).toBe(503)
    const body = await notReady.json()
    expect(body.dependencies.upstream).toMatchObject({ state: 'down', critical: true })
  })

  it('counts requests by route template in /metrics and publishes the OpenAPI document', async () => {
    const app = makeApp()
    await post(app, '/v1/echo', JSON.stringify({ name: 'a', count: 1 }))
    const metrics = await (await app.request('/metrics')).text()
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/v1\/echo"[^}]*status="200"[^}]*\} 1/)
    const doc = await (await app.request('/openapi.json')).json()
    expect(Object.keys(doc.paths)).toContain('/v1/echo')
  })

  it('logs a line per request except on the quiet paths, which are still counted', async () => {
    const { records, logger } = captureLog('quiet')
    const readiness = createReadiness({ service: 'quiet', checks: [], cacheMs: 0 })
    const app = createService({
      name: 'quiet',
      logger,
      readiness,
      quietPaths: ['/api/often'],
    })
    app.get('/api/often', (c) => c.json({}))
    app.get('/api/rare', (c) => c.json({}))
    for (const path of ['/api/often', '/api/often', '/api/rare', '/health']) await app.request(path)
    const logged = records().filter((l) => l.msg === 'request')
    expect(logged.map((l) => l.path)).toEqual(['/api/rare'])
    const metrics = await (await app.request('/metrics')).text()
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/often"[^}]*\} 2/)
  })
})
