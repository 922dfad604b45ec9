/**
 * The proxy's answers when things go wrong, in the error style of each path family, and its
 * upload limits.
 */
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { listen, rawRequest, startGateway } from '../testing/harness.ts'
import { echoBackend, trackServers } from '../testing/tracked.ts'

const track = trackServers()

const echo = echoBackend

describe('backend not running', () => {
  it('answers 503 + Retry-After naming the service, in the OpenAI envelope on /v1', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/v1/audio/transcriptions`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    const body = JSON.parse(res.body)
    expect(body.error).toMatchObject({
      message: 'speech-proxy is not reachable; retry in 5 s.',
      type: 'server_error',
      code: 'upstream_unavailable',
    })
  })

  it('keeps {"detail": ...} on the earlier /api/audio routes', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/api/audio/diarize-chunk`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(JSON.parse(res.body)).toEqual({ detail: 'speech-proxy is not reachable; retry in 5 s.' })
  })

  it('uses problem+json on new routes', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/api/speech-proxy/jobs`)
    expect(res.status).toBe(503)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      detail: 'speech-proxy is not reachable; retry in 5 s.',
      instance: '/api/speech-proxy/jobs',
      retry_after_s: 5,
    })
  })

  it('uses the redaction gateway style on /scrub', async () => {
    const gw = await track(startGateway({}))
    const res = await rawRequest(`${gw.url}/scrub`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(503)
    expect(JSON.parse(res.body)).toMatchObject({
      error: 'upstream_unavailable',
      detail: 'redaction-gateway is not reachable; retry in 5 s.',
    })
  })

  it('says a service switched off by DISABLED_SERVICES is off, with no retry hint', async () => {
    const calls: string[] = []
    const upstream = await track(echo(calls))
    const gw = await track(
      startGateway(
        { 'redaction-gateway': upstream.url },
        {
          config: { DISABLED_SERVICES: ['redaction-gateway'] },
        },
      ),
    )
    const res = await rawRequest(`${gw.url}/rehydrate`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(503)
    expect(res.headers['retry-after']).toBeUndefined()
    expect(JSON.parse(res.body).detail).toContain('turned off')
    expect(calls).toEqual([])
  })
})

describe('backend misbehaving', () => {
  it('answers 504 when the backend does not answer in time', async () => {
    const upstream = await track(listen((req) => req.resume()))
    const gw = await track(
      startGateway({ 'swap-controller': upstream.url }, { config: { PROXY_TIMEOUT_MS: 300 } }),
    )
    const started = Date.now()
    const res = await rawRequest(`${gw.url}/api/swap`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(504)
    expect(JSON.parse(res.body)).toEqual({ detail: 'swap-controller did not answer within 300 ms.' })
    expect(Date.now() - started).toBeLessThan(2500)
  })

  it('answers 502 when the backend drops the connection', async () => {
    const upstream = await track(listen((req) => req.socket.destroy()))
    const gw = await track(startGateway({ 'vector-search': upstream.url }))
    const res = await rawRequest(`${gw.url}/v1/embeddings`, { method: 'POST', body: '{"input":"x"}' })
    expect([502, 503]).toContain(res.status)
    expect(JSON.parse(res.body).error.message).toMatch(/^vector-search /)
  })

  it('answers 502 when the backend answers garbage', async () => {
    const upstream = await track(listen((req) => req.socket.end('this is not HTTP\r\n\r\n')))
    const gw = await track(startGateway({ 'vector-search': upstream.url }))
    const res = await rawRequest(`${gw.url}/api/search`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(502)
    expect(JSON.parse(res.body).detail).toMatch(/^vector-search failed/)
  })

  it('passes the backend’s own errors through unchanged', async () => {
    const upstream = await track(
      listen((req, res) => {
        req.resume()
        res.writeHead(422, { 'content-type': 'application/json', 'x-custom': 'kept' })
        res.end('{"detail":[{"loc":["body","timeline"],"msg":"bad","type":"value_error"}]}')
      }),
    )
    const gw = await track(startGateway({ 'speech-proxy': upstream.url }))
    const res = await rawRequest(`${gw.url}/api/audio/label-merge`, { method: 'POST', body: 'x' })
    expect(res.status).toBe(422)
    expect(res.headers['x-custom']).toBe('kept')
    expect(res.body).toBe('{"detail":[{"loc":["body","timeline"],"msg":"bad","type":"value_error"}]}')
  })
})

describe('upload limits', () => {
  it('refuses a declared body over the limit before contacting the backend', async () => {
    const calls: string[] = []
    const upstream = await track(echo(calls))
    const gw = await track(
      startGateway({ 'speech-proxy': upstream.url }, { config: { AUDIO_BODY_LIMIT_BYTES: 1024 * 1024 } }),
    )
    const res = await rawRequest(`${gw.url}/v1/audio/transcriptions`, {
      method: 'POST',
      body: Buffer.alloc(1024 * 1024 + 1),
    })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'payload_too_large',
      type: 'invalid_request_error',
    })
    expect(calls).toEqual([])
  })

  it('stops a streamed body at the limit with 413 and aborts the backend request', async () => {
    let backendClosed = false
    const upstream = await track(
      listen(async (req, res) => {
        res.on('close', () => {
          backendClosed = true
        })
        for await (const _ of req) void _
        res.end('{}')
      }),
    )
    const gw = await track(
      startGateway({ 'speech-proxy': upstream.url }, { config: { AUDIO_BODY_LIMIT_BYTES: 256 * 1024 } }),
    )
    const { request } = await import('undici')
    async function* tooMuch() {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(64 * 1024)
    }
    const res = await request(`${gw.url}/api/audio/transcribe-with-speakers`, {
      method: 'POST',
      body: Readable.from(tooMuch()),
    })
    expect(res.statusCode).toBe(413)
    expect(await res.body.json()).toEqual({
      detail: 'Request body is larger than the limit of 262144 bytes.',
    })
    await expect.poll(() => backendClosed, { timeout: 2000 }).toBe(true)
  })

  it('gives non-audio routes the smaller default limit', async () => {
    const gw = await track(startGateway({}, { config: { BODY_LIMIT_BYTES: 2048 } }))
    const res = await rawRequest(`${gw.url}/api/swap`, { method: 'POST', body: Buffer.alloc(4096) })
    expect(res.status).toBe(413)
  })
})
