import { Hono } from 'hono'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { createPool } from '../../../shared/http-client.ts'
import { deferred, untilAborted } from '../../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../../shared/testing/fake-upstream.ts'
import { createKokoro } from './kokoro.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
const fakes: FakeUpstream[] = []
let teardown = new AbortController()

afterEach(async () => {
  teardown.abort()
  teardown = new AbortController()
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(() => pool.destroy())

async function kokoroAt(app: Hono | string) {
  let baseUrl = typeof app === 'string' ? app : null
  if (typeof app !== 'string') {
    const fake = await startFake(app)
    fakes.push(fake)
    baseUrl = fake.url
  }
  return createKokoro({ baseUrl, disabled: false, healthTimeoutMs: 1000, dispatcher: pool })
}

const call = (signal = new AbortController().signal, timeoutMs = 2000) => ({ signal, timeoutMs })
const BODY = { model: 'kokoro', input: 'Hi.', voice: 'af_heart' }

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

/** An upstream that sends one piece of audio, then holds the stream open until the test ends. */
function oneThenHold(cancelled = deferred<void>()) {
  const app = new Hono()
  app.post('/v1/audio/speech', () => {
    let open = true
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([0xff, 0xfb, 1, 2]))
        untilAborted(teardown.signal).then(() => open && c.close())
      },
      cancel: () => {
        open = false
        cancelled.resolve()
      },
    })
    return new Response(body, { headers: { 'content-type': 'audio/mpeg', 'x-internal': 'no' } })
  })
  return app
}

describe('Kokoro adapter: speech()', () => {
  it("answers at Kokoro's headers with its audio headers and a body that streams on", async () => {
    const kokoro = await kokoroAt(oneThenHold())
    const answer = await kokoro.speech(BODY, call())
    expect(answer.status).toBe(200)
    expect(answer.headers).toEqual({ 'content-type': 'audio/mpeg' })
    const first = await answer.body.getReader().read()
    expect(first.value).toEqual(new Uint8Array([0xff, 0xfb, 1, 2]))
  })

  it('aborts the upstream request when the caller goes', async () => {
    const cancelled = deferred<void>()
    const kokoro = await kokoroAt(oneThenHold(cancelled))
    const client = new AbortController()
    const answer = await kokoro.speech(BODY, call(client.signal))
    await answer.body.getReader().read()
    client.abort()
    await cancelled.promise
  })

  it('gives up with 504 when no headers come in time', async () => {
    const app = new Hono()
    app.post('/v1/audio/speech', async () => {
      await untilAborted(teardown.signal)
      return new Response('late')
    })
    const kokoro = await kokoroAt(app)
    const err = await failure(kokoro.speech(BODY, call(undefined, 150)))
    expect(err).toMatchObject({ status: 504, code: 'upstream_timeout' })
  })

  it('ends the stream with an error when Kokoro stalls between pieces', async () => {
    const kokoro = await kokoroAt(oneThenHold())
    const answer = await kokoro.speech(BODY, call(undefined, 200))
    const reader = answer.body.getReader()
    await reader.read()
    await expect(reader.read()).rejects.toThrow()
  })

  it.each([
    [
      "Kokoro's own refusal",
      400,
      {
        detail: { error: 'validation_error', message: "Voice 'xx' not found", type: 'invalid_request_error' },
      },
      {
        status: 400,
        code: 'upstream_rejected',
        message: expect.stringContaining("Voice 'xx' not found"),
      },
    ],
    [
      'a GPU fault',
      500,
      {
        detail: {
          error: 'processing_error',
          message: 'CUDA error: CUBLAS_STATUS_EXECUTION_FAILED',
          type: 'server_error',
        },
      },
      { status: 503, code: 'upstream_wedged', retryAfterS: 60 },
    ],
    ['any other failure', 500, { detail: 'boom' }, { status: 502, code: 'upstream_failed' }],
  ])('maps %s', async (_label, status, body, expected) => {
    const app = new Hono()
    app.post('/v1/audio/speech', (c) => c.json(body, status as 400))
    const kokoro = await kokoroAt(app)
    expect(await failure(kokoro.speech(BODY, call()))).toMatchObject(expected)
  })

  it('is 503 with Retry-After when nothing listens, or Kokoro is unconfigured', async () => {
    const refused = await kokoroAt(await refusedUrl())
    expect(await failure(refused.speech(BODY, call()))).toMatchObject({ status: 503, retryAfterS: 5 })
    const none = createKokoro({ baseUrl: null, disabled: false, healthTimeoutMs: 1000 })
    expect(await failure(none.speech(BODY, call()))).toMatchObject({
      status: 503,
      code: 'upstream_unavailable',
    })
  })
})
