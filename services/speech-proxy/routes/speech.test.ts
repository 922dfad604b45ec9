import { Buffer } from 'node:buffer'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { audioKind, type KokoroBed, startKokoroBed } from '../testing/kokoro-sim.ts'

let bed: KokoroBed | undefined

afterEach(async () => {
  await bed?.close()
  bed = undefined
})

const TEXT = 'Hello from the speech proxy. The audio streams to you while it is still being made.'

function speak(
  b: KokoroBed,
  body: Record<string, unknown>,
  opts: { signal?: AbortSignal; client?: string } = {},
) {
  return request(`${b.service.url}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.client ? { 'x-spark-actor': opts.client } : {}) },
    body: JSON.stringify(body),
    signal: opts.signal,
  })
}

/** Reads a streamed answer, noting whether Kokoro had finished when its first bytes arrived. */
async function readTimed(b: KokoroBed, body: AsyncIterable<Buffer>) {
  const startedAt = performance.now()
  const chunks: Buffer[] = []
  let first: { ms: number; kokoroDone: boolean } | undefined
  for await (const chunk of body) {
    first ??= { ms: performance.now() - startedAt, kokoroDone: b.seen.ended.finished > 0 }
    chunks.push(chunk)
  }
  return { bytes: Buffer.concat(chunks), first: first!, totalMs: performance.now() - startedAt }
}

describe('POST /v1/audio/speech against the simulated Kokoro', () => {
  // Pieces sized for some ten to twenty per answer whatever the encoding's bitrate.
  it.each([
    ['mp3', 'audio/mpeg', 2048],
    ['wav', 'audio/wav', 16_384],
    ['pcm', 'audio/pcm', 16_384],
    ['opus', 'audio/opus', 1024],
    ['flac', 'audio/flac', 8192],
  ])(
    'streams %s: the first bytes arrive while Kokoro is still synthesising',
    async (format, type, chunkBytes) => {
      bed = await startKokoroBed({ chunkDelayMs: 40, chunkBytes })
      const res = await speak(bed, {
        model: 'kokoro',
        input: TEXT,
        voice: 'af_heart',
        response_format: format,
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe(type)
      expect(res.headers['content-length']).toBeUndefined()
      expect(res.headers['transfer-encoding']).toBe('chunked')
      expect(res.headers['x-accel-buffering']).toBe('no')
      expect(res.headers['x-queue-position']).toBe('0')
      expect(res.headers['server-timing']).toMatch(/^queue;dur=[\d.]+, tts;dur=[\d.]+$/)
      const { bytes, first, totalMs } = await readTimed(bed, res.body)
      expect(first.kokoroDone).toBe(false)
      expect(first.ms).toBeLessThan(totalMs / 2)
      expect(bed.seen.ended.finished).toBe(1)
      if (format === 'pcm') {
        // Raw 24 kHz s16le mono: no header, whole samples, over a second of speech.
        expect(audioKind(bytes)).toBe('unknown')
        expect(bytes.length % 2).toBe(0)
        expect(bytes.length).toBeGreaterThan(48_000)
      } else expect(audioKind(bytes)).toBe(format)
    },
  )

  it('passes a whole (stream: false) answer on with its length', async () => {
    bed = await startKokoroBed()
    const res = await speak(bed, {
      model: 'tts-1',
      input: 'Short.',
      voice: 'alloy',
      response_format: 'wav',
      stream: false,
    })
    expect(res.statusCode).toBe(200)
    const bytes = Buffer.from(await res.body.arrayBuffer())
    expect(res.headers['content-length']).toBe(String(bytes.length))
    expect(res.headers['x-accel-buffering']).toBeUndefined()
    expect(audioKind(bytes)).toBe('wav')
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8)
  })

  it('speaks a blend of voices, with Kokoro extras passed along', async () => {
    bed = await startKokoroBed()
    const res = await speak(bed, {
      model: 'kokoro',
      input: 'A blended voice.',
      voice: 'af_bella(2)+af_sky(1)',
      response_format: 'mp3',
      speed: 1.5,
      volume_multiplier: 0.8,
      lang_code: 'a',
    })
    expect(res.statusCode).toBe(200)
    expect(audioKind(Buffer.from(await res.body.arrayBuffer()))).toBe('mp3')
  })

  it("answers an unknown voice with Kokoro's 400 and message in the OpenAI envelope", async () => {
    bed = await startKokoroBed()
    const res = await speak(bed, { model: 'kokoro', input: 'Hi.', voice: 'af_bella(1)+xx_nobody(1)' })
    expect(res.statusCode).toBe(400)
    const { error } = (await res.body.json()) as { error: Record<string, unknown> }
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'upstream_rejected' })
    expect(error.message).toContain("Voice 'xx_nobody' not found. Available voices: af_alloy")
    expect(bed.app.admission.status().find((l) => l.lane === 'tts')?.running).toBe(0)
  })

  it.each([
    ['speed above 4', { speed: 4.5 }, 422, 'speed'],
    ['speed below 0.25', { speed: 0.1 }, 422, 'speed'],
    ['a blend with no voice after +', { voice: 'af_bella+' }, 422, 'voice'],
    ['an unknown format', { response_format: 'ogg' }, 422, 'response_format'],
    ['input over the limit', { input: 'x'.repeat(4097) }, 422, 'input'],
    ['stream_format sse', { stream_format: 'sse' }, 400, 'stream_format'],
  ])('refuses %s before calling Kokoro', async (_label, change, status, param) => {
    bed = await startKokoroBed()
    const res = await speak(bed, { model: 'kokoro', input: 'Hi.', voice: 'af_heart', ...change })
    expect(res.statusCode).toBe(status)
    expect(((await res.body.json()) as { error: { param: string } }).error.param).toBe(param)
    expect(bed.sim.requestCount('/v1/audio/speech')).toBe(0)
  })

  it('refuses a body over the JSON limit with 413 naming it, before calling Kokoro', async () => {
    bed = await startKokoroBed({}, { BODY_LIMIT_BYTES: '2048' })
    const res = await speak(bed, { input: 'x'.repeat(3000), voice: 'af_heart' })
    expect(res.statusCode).toBe(413)
    expect(((await res.body.json()) as { error: { message: string } }).error.message).toContain('2048 bytes')
    expect(bed.sim.requestCount('/v1/audio/speech')).toBe(0)
  })

  it('stops Kokoro when the client goes mid-stream, and frees the lane', async () => {
    bed = await startKokoroBed({ chunkDelayMs: 50, chunkBytes: 512 })
    const client = new AbortController()
    const res = await speak(
      bed,
      { input: TEXT, voice: 'af_heart', response_format: 'wav' },
      { signal: client.signal },
    )
    const reader = res.body[Symbol.asyncIterator]()
    expect((await reader.next()).done).toBe(false)
    client.abort()
    const b = bed
    await expect.poll(() => b.seen.ended.cancelled).toBe(1)
    expect(b.seen.ended.finished).toBe(0)
    await expect.poll(() => b.app.admission.status().find((l) => l.lane === 'tts')?.running).toBe(0)
  })

  it('keeps Kokoro at the lane limit under 10 concurrent requests; the rest queue and all get audio', async () => {
    bed = await startKokoroBed({ chunkDelayMs: 10, chunkBytes: 4096 }, { SPEECH_LANE_TTS: '2' })
    const b = bed
    const answers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const res = await speak(
          b,
          { input: `Request number ${i}.`, voice: 'am_adam', response_format: 'wav' },
          { client: `c${i % 3}` },
        )
        const bytes = Buffer.from(await res.body.arrayBuffer())
        return {
          status: res.statusCode,
          position: Number(res.headers['x-queue-position']),
          kind: audioKind(bytes),
        }
      }),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    expect(answers.every((a) => a.kind === 'wav')).toBe(true)
    expect(b.seen.peak).toBe(2)
    expect(Math.max(...answers.map((a) => a.position))).toBeGreaterThan(0)
    expect(b.seen.ended.finished).toBe(10)
  })

  it("counts requests against the gateway's actor: one over its quota is a 429, another actor still gets in", async () => {
    bed = await startKokoroBed({ chunkDelayMs: 50, chunkBytes: 512 }, { SPEECH_CLIENT_MAX: '1' })
    const body = { input: TEXT, voice: 'af_heart', response_format: 'wav' }
    const first = await speak(bed, body, { client: 'ann' })
    expect(first.statusCode).toBe(200)
    const again = await speak(bed, body, { client: 'ann' })
    expect(again.statusCode).toBe(429)
    expect(again.headers['retry-after']).toBeDefined()
    expect(((await again.body.json()) as { error: { code: string } }).error.code).toBe('over_quota')
    const other = await speak(bed, { ...body, input: 'Hi.' }, { client: 'bob' })
    expect(other.statusCode).toBe(200)
    await Promise.all([first.body.dump(), other.body.dump()])
  })

  it('turns a wedged Kokoro into 503 upstream_wedged with Retry-After 60', async () => {
    bed = await startKokoroBed()
    await bed.sim.setMode('wedged')
    const res = await speak(bed, { input: 'Hi.', voice: 'af_heart' })
    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('60')
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('upstream_wedged')
  })
})
