import { Hono } from 'hono'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { SpeechStatus, type SpeechStatusReport } from '../../../shared/contracts/speech-proxy.ts'
import { createPool } from '../../../shared/http-client.ts'
import { deferred, untilAborted } from '../../../shared/testing/deferred.ts'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import type { Admit } from '../domain/admission/lanes.ts'
import { speechApp } from '../testing/harness.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
const fakes: FakeUpstream[] = []
let teardown = new AbortController()

/** An upstream whose `/health` answers at once, or hangs until the test ends. */
async function upstream(healthHangs = false) {
  const app = new Hono()
  app.get('/health', async (c) => {
    if (healthHangs) await untilAborted(teardown.signal)
    return c.json({ status: 'ok' })
  })
  const fake = await startFake(app)
  fakes.push(fake)
  return fake.url
}

async function status(app: ReturnType<typeof speechApp>['app']): Promise<SpeechStatusReport> {
  const res = await app.request('/api/speech/status')
  expect(res.status).toBe(200)
  return SpeechStatus.parse(await res.json())
}

/** Holds one admitted request running until the returned function is called. */
async function holdRunning(admission: ReturnType<typeof speechApp>['admission'], lane: Admit['lane']) {
  const running = deferred()
  const finish = deferred()
  const done = admission.run(
    { lane, client: 'c', priority: 'standard', deadlineMs: 60_000, work: 30, signal: teardown.signal },
    async () => {
      running.resolve()
      await finish.promise
    },
  )
  await running.promise
  return async () => {
    finish.resolve()
    await done
  }
}

afterEach(async () => {
  teardown.abort()
  teardown = new AbortController()
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(() => pool.destroy())

describe('GET /api/speech/status', () => {
  it('shows each lane with its configured limit and what runs in it, and both upstreams up', async () => {
    const { app, admission } = speechApp({
      parakeetUrl: await upstream(),
      kokoroUrl: await upstream(),
      dispatcher: pool,
      env: { SPEECH_LANE_ASR: '2', SPEECH_LANE_TTS: '3' },
    })
    const release = await holdRunning(admission, 'asr')
    const body = await status(app)
    await release()
    expect(body.lanes.map((l) => [l.lane, l.limit, l.running])).toEqual([
      ['asr', 2, 1],
      ['diarize', 1, 0],
      ['tts', 3, 0],
    ])
    expect(body.upstreams).toEqual([
      { name: 'parakeet', state: 'up', why: 'health check answered', misses: 0, in_flight: 1 },
      { name: 'kokoro', state: 'up', why: 'health check answered', misses: 0, in_flight: 0 },
    ])
  })

  it('tells busy (slow health while our requests run) from degraded (slow, nothing of ours running)', async () => {
    const { app, admission } = speechApp({
      parakeetUrl: await upstream(true),
      kokoroUrl: await upstream(true),
      healthTimeoutMs: 200,
      dispatcher: pool,
    })
    const release = await holdRunning(admission, 'diarize')
    const body = await status(app)
    await release()
    const byName = Object.fromEntries(body.upstreams.map((u) => [u.name, u]))
    expect(byName.parakeet).toMatchObject({ state: 'busy', in_flight: 1 })
    expect(byName.kokoro).toMatchObject({ state: 'degraded', misses: 1, in_flight: 0 })
    expect(byName.kokoro!.why).toContain('1 of 3 misses')
  })

  it('shows a disabled or unconfigured upstream as down, saying why', async () => {
    const { app } = speechApp({ parakeetUrl: await upstream(), disabled: 'parakeet', dispatcher: pool })
    const body = await status(app)
    expect(body.upstreams).toEqual([
      { name: 'parakeet', state: 'down', why: 'disabled by DISABLED_SERVICES', misses: 0, in_flight: 0 },
      {
        name: 'kokoro',
        state: 'down',
        why: expect.stringContaining('not configured: set KOKORO_URL'),
        misses: 0,
        in_flight: 0,
      },
    ])
  })

  it('lists the latest audio requests, newest first, with how they ended', async () => {
    const { app } = speechApp({ dispatcher: pool })
    const sent = await app.request('/v1/audio/speech', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: '', voice: 'af_heart' }),
    })
    expect(sent.status).toBe(422)
    // A read is not a job: only the POST is listed.
    await app.request('/v1/audio/voices')
    const body = await status(app)
    expect(body.recent).toEqual([
      expect.objectContaining({
        route: 'POST /v1/audio/speech',
        status: 422,
        outcome: 'rejected',
        audio_s: null,
      }),
    ])
  })

  it('is published in the OpenAPI document with its schema, and answers in /metrics too', async () => {
    const { app } = speechApp({ dispatcher: pool })
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.paths['/api/speech/status']).toBeDefined()
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['SpeechStatus', 'SpeechLaneStatus', 'SpeechUpstreamStatus']),
    )
    const metrics = await (await app.request('/metrics')).text()
    expect(metrics).toMatch(/^speech_lane_queue_depth\{lane="asr",service="speech-proxy"\} 0$/m)
    expect(metrics).toMatch(/^speech_lane_limit\{lane="tts",service="speech-proxy"\} 2$/m)
  })
})
