/**
 * Earlier-version contract, audio (`/api/audio/*`, and the OpenAI routes `/v1/audio/*` the transcript
 * app and the recap relay call): each answer replayed field by field through the gateway, with the
 * earlier units (milliseconds where they were, seconds elsewhere) and error bodies. The audio is real
 * espeak-ng speech; on the demo stack the simulated Parakeet says the fixtures' ground truth, so the
 * words can be checked too. Choices made where the earlier contract was silent are in
 * docs/COMPATIBILITY.md (Audio).
 */
import { readFile } from 'node:fs/promises'
import OpenAI, { toFile } from 'openai'
import { describe, expect, it } from 'vitest'
import {
  audioTarget,
  DEMO_AUDIO_LIMIT,
  isInt,
  SPACE_BEFORE_PUNCTUATION,
  SPEAKER,
  says,
} from './audio-support.ts'

const { target, files, postForm } = await audioTarget('audio')

describe('POST /v1/audio/transcriptions (OpenAI)', () => {
  it('json: {text} with the words said', async () => {
    const res = await postForm('/v1/audio/transcriptions', { model: 'whisper-1' }, { file: files.dialogue })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['text'])
    expect(says(res.body.text, files.talk.lines[0]!.text)).toBe(true)
    expect(res.body.text).not.toMatch(SPACE_BEFORE_PUNCTUATION)
  })

  it('verbose_json: duration, segments and words in seconds, timing headers', async () => {
    const res = await postForm(
      '/v1/audio/transcriptions',
      { response_format: 'verbose_json', 'timestamp_granularities[]': ['word', 'segment'] },
      { file: files.dialogue },
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      task: 'transcribe',
      language: expect.any(String),
      text: expect.any(String),
    })
    expect(res.body.duration).toBeCloseTo(files.talk.duration, 0)
    expect(res.body.segments.length).toBeGreaterThan(0)
    for (const s of res.body.segments) {
      expect(s).toMatchObject({ id: expect.any(Number), start: expect.any(Number), text: expect.any(String) })
      expect(s.end).toBeGreaterThanOrEqual(s.start)
      expect(s.end).toBeLessThanOrEqual(files.talk.duration + 0.5)
    }
    expect(res.body.words.length).toBeGreaterThan(20)
    for (const w of res.body.words) {
      expect(w.word).toBe(w.word.trim())
      expect(w.end).toBeGreaterThanOrEqual(w.start)
    }
    expect(res.headers.get('x-queue-position')).toMatch(/^\d+$/)
    expect(res.headers.get('server-timing')).toMatch(/queue;dur=[\d.]+/)
  })

  it('the official openai client transcribes through the gateway', async () => {
    const client = new OpenAI({ baseURL: target.url('/v1'), apiKey: 'compat', maxRetries: 0 })
    const file = await toFile(await readFile(files.dialogue), 'dialogue.wav', { type: 'audio/wav' })
    const t = await client.audio.transcriptions.create({ file, model: 'nvidia/parakeet-tdt-0.6b-v3' })
    expect(says(t.text, files.talk.lines[1]!.text)).toBe(true)
  })
})

describe('POST /v1/audio/speech (OpenAI)', () => {
  it('answers the raw audio bytes, also through the official client', async () => {
    const res = await fetch(target.url('/v1/audio/speech'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'kokoro',
        input: 'The model is ready.',
        voice: 'af_heart',
        response_format: 'wav',
      }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^audio\//)
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('RIFF')
    const client = new OpenAI({ baseURL: target.url('/v1'), apiKey: 'compat', maxRetries: 0 })
    const mp3 = await client.audio.speech.create({ model: 'kokoro', voice: 'af_heart', input: 'Hello.' })
    expect((await mp3.arrayBuffer()).byteLength).toBeGreaterThan(100)
  })
})

describe('POST /api/audio/transcribe-with-speakers', () => {
  it('duration (s), language, speakers_detected, segments in integer ms with Speaker_N, models', async () => {
    const res = await postForm('/api/audio/transcribe-with-speakers', {}, { file: files.dialogue })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body).sort()).toEqual([
      'duration',
      'language',
      'models',
      'segments',
      'speakers_detected',
    ])
    expect(res.body.duration).toBeCloseTo(files.talk.duration, 0)
    expect(res.body.language === null || typeof res.body.language === 'string').toBe(true)
    expect(res.body.speakers_detected).toHaveLength(2)
    for (const s of res.body.speakers_detected) expect(s).toMatch(SPEAKER)
    expect(res.body.models).toEqual({ transcription: expect.any(String), diarization: expect.any(String) })
    for (const s of res.body.segments) {
      expect(Object.keys(s).sort()).toEqual(['end_ms', 'speaker', 'start_ms', 'text'])
      expect(isInt(s.start_ms) && isInt(s.end_ms)).toBe(true)
      expect(s.end_ms).toBeGreaterThan(s.start_ms)
      expect(s.end_ms).toBeLessThanOrEqual(Math.round((files.talk.duration + 0.5) * 1000))
      expect(s.speaker).toMatch(SPEAKER)
      expect(s.text).not.toMatch(SPACE_BEFORE_PUNCTUATION)
    }
    // Each person's lines under one label, the two labels different.
    const speakerOf = (line: string) =>
      res.body.segments.find((s: { text: string }) => says(s.text, line))?.speaker
    const [ada, ben] = [speakerOf(files.talk.lines[0]!.text), speakerOf(files.talk.lines[1]!.text)]
    expect(ada).toMatch(SPEAKER)
    expect(ben).toMatch(SPEAKER)
    expect(ada).not.toBe(ben)
    expect(speakerOf(files.talk.lines[2]!.text)).toBe(ada)
  })
})

describe('POST /api/audio/diarize-chunk', () => {
  it('duration (s), segments [{start_s, end_s, speaker, confidence?}], speakers_detected, 192-float fingerprints, models', async () => {
    const res = await postForm('/api/audio/diarize-chunk', {}, { file: files.dialogue })
    expect(res.status).toBe(200)
    expect(res.body.duration).toBeCloseTo(files.talk.duration, 0)
    expect(res.body.segments.length).toBeGreaterThan(0)
    for (const s of res.body.segments) {
      expect(s.speaker).toMatch(SPEAKER)
      expect(s.end_s).toBeGreaterThan(s.start_s)
      // Seconds, not milliseconds.
      expect(s.end_s).toBeLessThanOrEqual(files.talk.duration + 0.5)
      if ('confidence' in s) expect(s.confidence).toBeGreaterThanOrEqual(0)
    }
    expect(res.body.speakers_detected.length).toBeGreaterThanOrEqual(2)
    expect(res.body.speakers_detected.length).toBeLessThanOrEqual(4)
    for (const name of res.body.speakers_detected) {
      expect(res.body.fingerprints[name]).toHaveLength(192)
      for (const v of res.body.fingerprints[name]) expect(Number.isFinite(v)).toBe(true)
    }
    expect(res.body.models.diarization).toEqual(expect.any(String))
  })
})

describe('GET /v1/models', () => {
  it('lists the speech-to-text model and the TTS voices', async () => {
    const body = (await (await fetch(target.url('/v1/models'))).json()) as {
      data: { id: string; owned_by: string }[]
    }
    expect(body.data).toContainEqual(
      expect.objectContaining({ id: 'nvidia/parakeet-tdt-0.6b-v3', owned_by: 'parakeet' }),
    )
    expect(body.data.filter((m) => m.owned_by === 'kokoro').map((m) => m.id)).toContain('af_heart')
  })
})

describe('limits and a wedged upstream', () => {
  const limit = target.demo ? DEMO_AUDIO_LIMIT : 200 * 1024 * 1024

  /** A multipart upload just over the limit, streamed (no Content-Length to refuse it by). */
  function oversize(): { body: ReadableStream<Uint8Array>; type: string } {
    const boundary = 'compat-oversize'
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    )
    const piece = new Uint8Array(256 * 1024)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head)
        if (sent > limit + piece.length) {
          controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`))
          controller.close()
          return
        }
        controller.enqueue(piece)
        sent += piece.length
      },
    })
    return { body, type: `multipart/form-data; boundary=${boundary}` }
  }

  it('an upload over the limit is 413 naming it, in each path’s error style', async () => {
    for (const [path, style] of [
      ['/api/audio/transcribe-with-speakers', 'detail'],
      ['/v1/audio/transcriptions', 'error'],
    ] as const) {
      const { body, type } = oversize()
      const res = await fetch(target.url(path), {
        method: 'POST',
        headers: { 'content-type': type },
        body,
        duplex: 'half',
      } as RequestInit)
      expect(res.status, path).toBe(413)
      const answer = (await res.json()) as { detail?: string; error?: { message: string } }
      const message = style === 'detail' ? answer.detail : answer.error?.message
      expect(message, path).toMatch(/MB|bytes/)
    }
  })

  if (target.demo) {
    it('a wedged Parakeet (CUDA fault) is 503 + Retry-After: 60 on the OpenAI and the earlier routes', async () => {
      const parakeet = target.demo!.demo().sim.parakeet
      await parakeet.setMode('wedged')
      try {
        const openai = await postForm('/v1/audio/transcriptions', {}, { file: files.dialogue })
        expect(openai.status).toBe(503)
        expect(openai.headers.get('retry-after')).toBe('60')
        expect(openai.body.error).toMatchObject({ message: expect.any(String) })
        const earlier = await postForm('/api/audio/transcribe-with-speakers', {}, { file: files.dialogue })
        expect(earlier.status).toBe(503)
        expect(earlier.headers.get('retry-after')).toBe('60')
        expect(typeof earlier.body.detail).toBe('string')
      } finally {
        await parakeet.setMode('ok')
      }
    })
  }
})
