import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPool } from '../../shared/http-client.ts'
import { askRoutes } from '../../shared/testing/capabilities.ts'
import { untilAborted } from '../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../shared/testing/fake-upstream.ts'
import { SPEECH_CAPABILITIES } from './capabilities.ts'
import { speechApp } from './testing/harness.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
const fakes: FakeUpstream[] = []
let stopSlow = new AbortController()
let voiceCalls = 0

/** A Kokoro that answers `/v1/audio/voices` with the given body (or, with `hangs`, not until the test ends). */
function kokoroFake(voicesBody: unknown, options: { hangs?: boolean; status?: number } = {}) {
  const app = new Hono()
  app.get('/health', (c) => c.json({ status: 'healthy' }))
  app.get('/v1/audio/voices', async (c) => {
    voiceCalls++
    if (options.hangs) await untilAborted(stopSlow.signal)
    return c.json(voicesBody as object, (options.status ?? 200) as 200)
  })
  return app
}

async function serveFake(app: Hono) {
  const fake = await startFake(app)
  fakes.push(fake)
  return fake.url
}

const OLDER_SHAPE = { voices: ['af_heart', 'bm_george'] }
const CURRENT = {
  voices: [
    { id: 'af_heart', name: 'af_heart' },
    { id: 'bm_george', name: 'bm_george' },
  ],
}
const EXPECTED_VOICES = [
  { id: 'af_heart', name: 'af_heart', language: 'en-US', gender: 'female' },
  { id: 'bm_george', name: 'bm_george', language: 'en-GB', gender: 'male' },
]

let refused: string
beforeAll(async () => {
  refused = await refusedUrl()
})
afterEach(async () => {
  stopSlow.abort()
  stopSlow = new AbortController()
  voiceCalls = 0
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(() => pool.destroy())

describe('GET /v1/audio/voices', () => {
  it.each([
    ['older string list', OLDER_SHAPE],
    ['v0.4+ object list', CURRENT],
    ['bare array', ['af_heart', { name: 'bm_george' }]],
  ])('answers one normalised shape from the %s', async (_label, body) => {
    const kokoroUrl = await serveFake(kokoroFake(body))
    const res = await speechApp({ kokoroUrl, dispatcher: pool }).app.request('/v1/audio/voices')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ voices: EXPECTED_VOICES })
  })

  it('caches the list briefly instead of asking Kokoro on every request', async () => {
    const kokoroUrl = await serveFake(kokoroFake(CURRENT))
    const { app } = speechApp({ kokoroUrl, dispatcher: pool })
    await app.request('/v1/audio/voices')
    await app.request('/v1/audio/voices')
    await app.request('/v1/models')
    expect(voiceCalls).toBe(1)
  })

  it('answers 503 + Retry-After in the OpenAI envelope when Kokoro is unreachable', async () => {
    const res = await speechApp({ kokoroUrl: refused, dispatcher: pool }).app.request('/v1/audio/voices', {
      headers: { 'X-Request-Id': 'voices-1' },
    })
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await res.json()
    expect(body.error).toMatchObject({
      type: 'server_error',
      code: 'upstream_unavailable',
      param: null,
      request_id: 'voices-1',
    })
    expect(body.error.message).toContain('Kokoro')
  })

  it('answers 503 + Retry-After when Kokoro is disabled or not configured', async () => {
    for (const options of [{ kokoroUrl: refused, disabled: 'kokoro' }, {}]) {
      const res = await speechApp({ ...options, dispatcher: pool }).app.request('/v1/audio/voices')
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('60')
      expect((await res.json()).error.code).toBe('upstream_unavailable')
    }
  })

  it('answers 502 when Kokoro sends something that is not a voice list', async () => {
    const kokoroUrl = await serveFake(kokoroFake({ detail: 'nope' }))
    const res = await speechApp({ kokoroUrl, dispatcher: pool }).app.request('/v1/audio/voices')
    expect(res.status).toBe(502)
    expect((await res.json()).error.code).toBe('upstream_failed')
  })

  it('passes a busy Kokoro (503) on as 503 + Retry-After, not as a failure', async () => {
    const kokoroUrl = await serveFake(kokoroFake({ detail: 'busy' }, { status: 503 }))
    const res = await speechApp({ kokoroUrl, dispatcher: pool }).app.request('/v1/audio/voices')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('10')
    expect((await res.json()).error.message).toContain('busy')
  })
})

describe('GET /v1/models', () => {
  it('lists the STT model and one entry per voice, from either voice shape', async () => {
    for (const body of [OLDER_SHAPE, CURRENT]) {
      const kokoroUrl = await serveFake(kokoroFake(body))
      const parakeetUrl = await serveFake(
        new Hono().get('/v1/models', (c) => c.json({ data: [{ id: 'stt-x' }] })),
      )
      const res = await speechApp({ parakeetUrl, kokoroUrl, dispatcher: pool }).app.request('/v1/models')
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        object: 'list',
        data: [
          { id: 'stt-x', object: 'model', created: 1_700_000_000, owned_by: 'parakeet' },
          { id: 'af_heart', object: 'model', created: 1_700_000_000, owned_by: 'kokoro' },
          { id: 'bm_george', object: 'model', created: 1_700_000_000, owned_by: 'kokoro' },
        ],
      })
    }
  })

  it('still answers 200 with the STT model when Kokoro is down or hangs', async () => {
    const slowUrl = await serveFake(kokoroFake(CURRENT, { hangs: true }))
    for (const kokoroUrl of [refused, slowUrl]) {
      const started = performance.now()
      const res = await speechApp({
        parakeetUrl: refused,
        kokoroUrl,
        voiceWaitMs: 200,
        dispatcher: pool,
      }).app.request('/v1/models')
      expect(res.status).toBe(200)
      expect((await res.json()).data.map((m: { id: string }) => m.id)).toEqual([
        'nvidia/parakeet-tdt-0.6b-v3',
      ])
      expect(performance.now() - started).toBeLessThan(1500)
    }
  })

  it('leaves out the models of disabled or unconfigured upstreams', async () => {
    const kokoroUrl = await serveFake(kokoroFake(OLDER_SHAPE))
    const res = await speechApp({
      parakeetUrl: refused,
      kokoroUrl,
      disabled: 'parakeet',
      dispatcher: pool,
    }).app.request('/v1/models')
    expect((await res.json()).data.map((m: { id: string }) => m.id)).toEqual(['af_heart', 'bm_george'])
    const none = await speechApp({ dispatcher: pool }).app.request('/v1/models')
    expect(await none.json()).toEqual({ object: 'list', data: [] })
  })
})

describe('speech-proxy service surface', () => {
  it('answers /health, /ready, /metrics and /openapi.json', async () => {
    const { app } = speechApp({ dispatcher: pool })
    const health = await app.request('/health')
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'speech-proxy' })
    expect((await app.request('/ready')).status).toBe(200)
    await app.request('/v1/models')
    const metrics = await (await app.request('/metrics')).text()
    expect(metrics).toContain(
      'http_requests_total{route="/v1/models",method="GET",status="200",service="speech-proxy"}',
    )
    const doc = await (await app.request('/openapi.json')).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/models', '/v1/audio/voices']))
  })

  it('answers the routes not built yet with 501 saying what is missing, in the path style', async () => {
    const answers = await askRoutes(speechApp({ dispatcher: pool }).app, SPEECH_CAPABILITIES, 'planned')
    // What is still planned depends on which speech routes are built; each answers in its path's style.
    const planned = SPEECH_CAPABILITIES.flatMap((c) => c.planned.map((route) => ({ route, c })))
    expect(answers.map((a) => a.route)).toEqual(planned.map((p) => p.route))
    for (const [i, a] of answers.entries()) {
      expect(a.status, a.route).toBe(501)
      const { c } = planned[i]!
      const message = `${c.title} is not built yet in this version of Spark Control.`
      if (a.route.includes(' /v1/'))
        expect(a.body, a.route).toMatchObject({ error: { message, code: 'not_implemented' } })
      else expect(a.body, a.route).toEqual({ detail: message, capability: c.name })
    }
    const built = await askRoutes(speechApp({ dispatcher: pool }).app, SPEECH_CAPABILITIES, 'built')
    for (const a of built) expect([404, 501], a.route).not.toContain(a.status)
  })

  it('answers unknown /v1 routes with a 404 in the OpenAI envelope', async () => {
    const res = await speechApp({ dispatcher: pool }).app.request('/v1/nothing-here')
    expect(res.status).toBe(404)
    expect((await res.json()).error).toMatchObject({ type: 'not_found_error', code: 'not_found' })
  })

  it('refuses bodies over AUDIO_BODY_LIMIT_BYTES with 413 in the OpenAI envelope', async () => {
    const { app } = speechApp({
      env: { AUDIO_BODY_LIMIT_BYTES: '2048', BODY_LIMIT_BYTES: '1024' },
      dispatcher: pool,
    })
    const res = await app.request('/v1/audio/transcriptions', {
      method: 'POST',
      body: 'x'.repeat(4096),
      headers: { 'content-type': 'application/octet-stream', 'content-length': '4096' },
    })
    expect(res.status).toBe(413)
    expect((await res.json()).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payload_too_large',
    })
    // Above BODY_LIMIT_BYTES but within the audio limit: admitted (and here refused: not multipart).
    const admitted = await app.request('/v1/audio/transcriptions', {
      method: 'POST',
      body: 'x'.repeat(1500),
      headers: { 'content-type': 'application/octet-stream', 'content-length': '1500' },
    })
    expect(admitted.status).toBe(415)
  })
})
