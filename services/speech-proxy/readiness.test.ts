import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createPool } from '../../shared/http-client.ts'
import type { ReadyReport } from '../../shared/readiness.ts'
import { deferred, untilAborted } from '../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../shared/testing/fake-upstream.ts'
import { SPEECH_CAPABILITIES } from './capabilities.ts'
import { speechApp } from './testing/harness.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
const fakes: FakeUpstream[] = []
let stopSlow = new AbortController()
let hits: string[] = []

/** A Parakeet-like upstream: `/health` and an OpenAI model list. */
function parakeetFake() {
  const app = new Hono()
  app.use(async (c, next) => {
    hits.push(`parakeet ${c.req.path}`)
    await next()
  })
  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/v1/models', (c) =>
    c.json({ object: 'list', data: [{ id: 'nvidia/parakeet-tdt-0.6b-v3-spark' }] }),
  )
  return app
}

function kokoroFake(hangs = false) {
  const app = new Hono()
  app.use(async (c, next) => {
    hits.push(`kokoro ${c.req.path}`)
    await next()
  })
  app.get('/health', async (c) => {
    if (hangs) await untilAborted(stopSlow.signal)
    return c.json({ status: 'healthy' })
  })
  return app
}

async function serveFake(app: Hono) {
  const fake = await startFake(app)
  fakes.push(fake)
  return fake.url
}

async function ready(app: ReturnType<typeof speechApp>['app']) {
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
  hits = []
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(() => pool.destroy())

describe('speech-proxy readiness', () => {
  it('reports both upstreams up, with UpstreamInfo and the model Parakeet names', async () => {
    const parakeetUrl = await serveFake(parakeetFake())
    const kokoroUrl = await serveFake(kokoroFake())
    const { status, body } = await ready(speechApp({ parakeetUrl, kokoroUrl, dispatcher: pool }).app)
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(body.dependencies.parakeet).toMatchObject({
      state: 'up',
      critical: false,
      info: {
        kind: 'stt',
        base_url: parakeetUrl,
        model: 'nvidia/parakeet-tdt-0.6b-v3-spark',
        disabled: false,
      },
    })
    expect(body.dependencies.kokoro).toMatchObject({
      state: 'up',
      info: { kind: 'tts', base_url: kokoroUrl, model: 'kokoro', disabled: false },
    })
  })

  it('calls built capabilities up from their upstreams, and the rest not_built, as capabilities.ts declares', async () => {
    const parakeetUrl = await serveFake(parakeetFake())
    const kokoroUrl = await serveFake(kokoroFake())
    const { body } = await ready(speechApp({ parakeetUrl, kokoroUrl, dispatcher: pool }).app)
    expect(body.capabilities!.voices!.state).toBe('up')
    for (const declared of SPEECH_CAPABILITIES) {
      expect(body.capabilities![declared.name], declared.name).toMatchObject({
        state: declared.built.length > 0 ? 'up' : 'not_built',
        needs: [...declared.needs],
        built: [...declared.built],
        planned: [...declared.planned],
      })
    }
  })

  it('reports a refused connection as down with a plain detail, and stays answering (degraded)', async () => {
    const kokoroUrl = await serveFake(kokoroFake())
    const { status, body } = await ready(speechApp({ parakeetUrl: refused, kokoroUrl, dispatcher: pool }).app)
    expect(status).toBe(200)
    expect(body.status).toBe('degraded')
    expect(body.dependencies.parakeet).toMatchObject({
      state: 'down',
      detail: 'connection refused',
      info: { model: 'nvidia/parakeet-tdt-0.6b-v3', base_url: refused },
    })
    expect(body.dependencies.kokoro!.state).toBe('up')
    expect(body.capabilities!.voices!.state).toBe('up')
    // Transcription needs Parakeet: down once it is built, not_built before.
    const transcription = SPEECH_CAPABILITIES.find((c) => c.name === 'transcription')!
    expect(body.capabilities!.transcription!.state).toBe(
      transcription.built.length > 0 ? 'down' : 'not_built',
    )
  })

  it('reports a slow health check with nothing of ours running as busy at first, down after 3 in a row', async () => {
    const kokoroUrl = await serveFake(kokoroFake(true))
    const { app } = speechApp({ kokoroUrl, healthTimeoutMs: 200, dispatcher: pool })
    const first = await ready(app)
    expect(first.body.dependencies.kokoro).toMatchObject({
      state: 'busy',
      detail: 'health check slow (no answer within 200 ms); 1 of 3 misses before it is called down',
    })
    const probes = () => hits.filter((h) => h === 'kokoro /health').length
    await expect
      .poll(async () => (await ready(app)).body.dependencies.kokoro, { timeout: 10_000, interval: 100 })
      .toMatchObject({
        state: 'down',
        detail: 'no answer within 200 ms, 3 checks in a row with nothing of ours running',
      })
    expect(probes()).toBe(3)
  })

  it('reports the same slow health check as busy while a request admitted to its lane is running', async () => {
    const kokoroUrl = await serveFake(kokoroFake(true))
    const { app, admission } = speechApp({ kokoroUrl, healthTimeoutMs: 200, dispatcher: pool })
    const running = deferred()
    const finish = deferred()
    const work = admission.run(
      {
        lane: 'tts',
        client: 'c',
        priority: 'standard',
        deadlineMs: 60_000,
        work: 1,
        signal: stopSlow.signal,
      },
      async () => {
        running.resolve()
        await finish.promise
      },
    )
    await running.promise
    const reports = [await ready(app)]
    await expect
      .poll(
        async () => {
          reports.push(await ready(app))
          return hits.filter((h) => h === 'kokoro /health').length
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(4)
    finish.resolve()
    await work
    for (const { body } of reports) {
      expect(body.dependencies.kokoro!.state).toBe('busy')
      expect(body.dependencies.kokoro!.detail).toBe(
        'busy: health check slow (no answer within 200 ms) while our requests are running',
      )
    }
    expect(reports[0]!.body.status).toBe('degraded')
  })

  it('reports upstreams in DISABLED_SERVICES as disabled without contacting them', async () => {
    const parakeetUrl = await serveFake(parakeetFake())
    const kokoroUrl = await serveFake(kokoroFake())
    const { body } = await ready(
      speechApp({ parakeetUrl, kokoroUrl, disabled: 'kokoro', dispatcher: pool }).app,
    )
    expect(body.dependencies.kokoro).toMatchObject({
      state: 'disabled',
      info: { kind: 'tts', base_url: kokoroUrl, model: 'kokoro', disabled: true },
    })
    expect(body.dependencies.parakeet!.state).toBe('up')
    expect(hits.filter((h) => h.startsWith('kokoro'))).toEqual([])
    expect(body.status).toBe('ready')
  })

  it('reports unconfigured upstreams as not_configured, saying what to set', async () => {
    const { status, body } = await ready(speechApp({ dispatcher: pool }).app)
    expect(status).toBe(200)
    expect(body.status).toBe('ready')
    expect(body.dependencies.parakeet).toMatchObject({
      state: 'not_configured',
      detail: expect.stringContaining('SPARK2_HOST'),
      info: { kind: 'stt', base_url: null, model: 'nvidia/parakeet-tdt-0.6b-v3', disabled: false },
    })
    expect(body.dependencies.kokoro!.state).toBe('not_configured')
  })
})
