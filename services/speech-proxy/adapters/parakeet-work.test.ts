/** Parakeet's work calls against a fake upstream: what is sent, what is read back, how failures map. */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { createPool } from '../../../shared/http-client.ts'
import { untilAborted } from '../../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../../shared/testing/fake-upstream.ts'
import { createParakeet } from './parakeet.ts'

const pool = createPool({ connectTimeoutMs: 1000 })
let dir: string
let audio: string
let content: Buffer
let fake: FakeUpstream | undefined
let teardown = new AbortController()

interface Seen {
  fields: Record<string, string | string[]>
  file: Buffer
  length: string | undefined
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parakeet-work-'))
  audio = join(dir, 'chunk.wav')
  content = randomBytes(3 * 1024 * 1024 + 17)
  await writeFile(audio, content)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  teardown.abort()
  teardown = new AbortController()
  await fake?.close()
  fake = undefined
})

async function upstream(answer: (seen: Seen) => Response | Promise<Response>, seen: Seen[] = []) {
  const app = new Hono()
  const handle = async (c: import('hono').Context) => {
    const form = await c.req.parseBody({ all: true })
    const { file, ...fields } = form
    const entry = {
      fields: fields as Seen['fields'],
      file: Buffer.from(await (file as File).arrayBuffer()),
      length: c.req.header('content-length'),
    }
    seen.push(entry)
    return answer(entry)
  }
  app.post('/v1/audio/transcriptions', handle)
  app.post('/v1/audio/diarize-chunk', handle)
  fake = await startFake(app)
  return createParakeet({ baseUrl: fake.url, disabled: false, healthTimeoutMs: 1000, dispatcher: pool })
}

const signal = () => new AbortController().signal

describe('Parakeet transcribe', () => {
  it('streams the file whole with its length, asks for verbose_json with words, reads words and segments', async () => {
    const seen: Seen[] = []
    const parakeet = await upstream(
      () =>
        Response.json({
          task: 'transcribe',
          language: 'english',
          duration: 4.2,
          text: ' Hello, world.',
          segments: [{ id: 0, start: 0.1, end: 1.2, text: ' Hello, world.' }],
          words: [
            { word: ' Hello', start: 0.1, end: 0.5 },
            { word: ',', start: 0.5, end: 0.5 },
            { word: ' world.', start: 0.6, end: 1.2 },
            { word: 'broken' },
          ],
        }),
      seen,
    )
    const out = await parakeet.transcribe(audio, { language: 'en', signal: signal() })
    expect(seen).toHaveLength(1)
    expect(seen[0]!.file.equals(content)).toBe(true)
    expect(Number(seen[0]!.length)).toBeGreaterThan(content.length)
    expect(seen[0]!.fields).toMatchObject({
      response_format: 'verbose_json',
      'timestamp_granularities[]': ['word', 'segment'],
      language: 'en',
    })
    expect(out).toEqual({
      duration: 4.2,
      language: 'english',
      text: 'Hello, world.',
      words: [
        { word: ' Hello', start: 0.1, end: 0.5 },
        { word: ',', start: 0.5, end: 0.5 },
        { word: ' world.', start: 0.6, end: 1.2 },
      ],
      segments: [{ id: 0, start: 0.1, end: 1.2, text: 'Hello, world.' }],
      model: null,
    })
  })

  it.each([
    [
      500,
      { detail: 'CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling cublasGemmEx' },
      503,
      'upstream_wedged',
      60,
    ],
    [500, { detail: 'something else broke' }, 502, 'upstream_failed', undefined],
    [422, { detail: 'Unsupported audio' }, 422, 'upstream_rejected', undefined],
    [503, { detail: 'loading' }, 503, 'upstream_unavailable', 5],
  ] as const)('an upstream %i %j is %i %s', async (status, body, want, code, retryAfterS) => {
    const parakeet = await upstream(() => Response.json(body, { status }))
    const err = (await parakeet.transcribe(audio, { signal: signal() }).catch((e: unknown) => e)) as AppError
    expect(err).toBeInstanceOf(AppError)
    expect({ status: err.status, code: err.code, retryAfterS: err.retryAfterS }).toEqual({
      status: want,
      code,
      retryAfterS,
    })
  })

  it('an answer that is not a transcript is a 502', async () => {
    const parakeet = await upstream(() => new Response('<html>proxy error</html>', { status: 200 }))
    await expect(parakeet.transcribe(audio, { signal: signal() })).rejects.toMatchObject({ status: 502 })
  })

  it('no answer within the deadline is a 504; nobody listening a 503 with Retry-After', async () => {
    const slow = await upstream(async () => {
      await untilAborted(teardown.signal)
      return Response.json({})
    })
    await expect(slow.transcribe(audio, { signal: signal(), timeoutMs: 300 })).rejects.toMatchObject({
      status: 504,
    })
    const gone = createParakeet({ baseUrl: await refusedUrl(), disabled: false, healthTimeoutMs: 500 })
    const err = (await gone.transcribe(audio, { signal: signal() }).catch((e: unknown) => e)) as AppError
    expect(err.status).toBe(503)
    expect(err.retryAfterS).toBeGreaterThan(0)
  })

  it('switched off or not configured: 503 with Retry-After, nothing sent', async () => {
    const off = createParakeet({ baseUrl: 'http://127.0.0.1:9', disabled: true, healthTimeoutMs: 500 })
    await expect(off.transcribe(audio, { signal: signal() })).rejects.toMatchObject({
      status: 503,
      retryAfterS: 60,
    })
    const none = createParakeet({ baseUrl: null, disabled: false, healthTimeoutMs: 500 })
    await expect(none.diarizeChunk(audio, { signal: signal() })).rejects.toMatchObject({ status: 503 })
  })
})

describe('Parakeet diarizeChunk', () => {
  it('reads turns, labels, fingerprints and models in the diarize-chunk shape', async () => {
    const print = Array.from({ length: 192 }, (_, i) => i / 192)
    const parakeet = await upstream(() =>
      Response.json({
        duration: 30,
        segments: [
          { start_s: 0.5, end_s: 3.2, speaker: 'Speaker_1', confidence: 0.91 },
          { start_s: 3.6, end_s: 7, speaker: 'Speaker_0' },
        ],
        speakers_detected: ['Speaker_1', 'Speaker_0'],
        fingerprints: { Speaker_1: print, Speaker_0: 'not a vector' },
        models: { diarization: 'nvidia/diar_sortformer_4spk-v1', embedding: 'titanet' },
      }),
    )
    expect(await parakeet.diarizeChunk(audio, { signal: signal() })).toEqual({
      duration: 30,
      segments: [
        { start_s: 0.5, end_s: 3.2, speaker: 'Speaker_1', confidence: 0.91 },
        { start_s: 3.6, end_s: 7, speaker: 'Speaker_0' },
      ],
      speakers_detected: ['Speaker_1', 'Speaker_0'],
      fingerprints: { Speaker_1: print },
      models: { diarization: 'nvidia/diar_sortformer_4spk-v1', embedding: 'titanet' },
    })
  })

  it('a body without segments is a 502', async () => {
    const parakeet = await upstream(() => Response.json({ detail: 'ok?' }))
    await expect(parakeet.diarizeChunk(audio, { signal: signal() })).rejects.toMatchObject({ status: 502 })
  })
})
