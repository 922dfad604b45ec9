/**
 * POST /v1/audio/transcriptions end to end: real fixtures, real ffmpeg, the simulated Parakeet
 * answering from the fixtures' ground truth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AudioFixture,
  dialogue,
  FORMATS,
  type FormatName,
  formatVariant,
  identicalStereo,
  nonAudio,
  silenceOnly,
} from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let talk: AudioFixture
let talkPath: string

/** Words as a listener hears them: lower case, no punctuation. */
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)

const expectedWords = (f: AudioFixture) => f.lines.flatMap((l) => words(l.text))

beforeAll(async () => {
  bed = await startTranscriptionBed()
  talk = await dialogue()
  talkPath = await bed.keep(talk.path)
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

interface Verbose {
  task: string
  language: string
  duration: number
  text: string
  segments: { id: number; start: number; end: number; text: string }[]
  words?: { word: string; start: number; end: number }[]
}

describe('POST /v1/audio/transcriptions: the two-speaker dialogue', () => {
  it('json: every word of the script in order, punctuation attached, headers for queue and timing', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, { model: 'whisper-1' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { text: string }
    expect(words(body.text)).toEqual(expectedWords(talk))
    expect(body.text).toContain('Good morning, thanks')
    expect(body.text).not.toMatch(/ [.,!?]/)
    expect(res.headers.get('x-queue-position')).toBe('0')
    expect(res.headers.get('server-timing')).toMatch(
      /^queue;dur=[\d.]+, decode;dur=[\d.]+, asr;dur=[\d.]+, diar;dur=0\.0, merge;dur=[\d.]+$/,
    )
    expect(await bed.leftovers()).toEqual([])
  })

  it('verbose_json with word timestamps: words inside the file, in order, at the lines’ times', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, {
      response_format: 'verbose_json',
      'timestamp_granularities[]': ['word', 'segment'],
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as Verbose
    expect(body.task).toBe('transcribe')
    expect(body.duration).toBeCloseTo(talk.duration, 1)
    const heard = body.words ?? []
    expect(heard.flatMap((w) => words(w.word))).toEqual(expectedWords(talk))
    for (const [a, b] of heard.slice(1).map((w, i) => [heard[i]!, w] as const))
      expect(b.start).toBeGreaterThanOrEqual(a.start)
    expect(heard.every((w) => w.word === w.word.trim())).toBe(true)
    const first = talk.lines[0]!
    expect(Math.abs(heard[0]!.start - first.start)).toBeLessThan(0.3)
    expect(body.segments.length).toBeGreaterThanOrEqual(talk.lines.length)
  })

  it('verbose_json without word granularity has segments only', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'verbose_json' })
    const body = (await res.json()) as Verbose
    expect(body.words).toBeUndefined()
    expect(body.segments.length).toBeGreaterThan(0)
  })

  it('srt and vtt: numbered cues with the time formats, the script’s words', async () => {
    const srt = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'srt' })
    expect(srt.headers.get('content-type')).toContain('text/plain')
    const srtText = await srt.text()
    expect(srtText).toMatch(/^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nGood morning, thanks/)
    const vtt = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'vtt' })
    expect(vtt.headers.get('content-type')).toContain('text/vtt')
    const vttText = await vtt.text()
    expect(vttText).toMatch(/^WEBVTT\n\n00:00:00\.\d{3} --> /)
    const cueText = (t: string) =>
      t
        .split('\n')
        .filter((l) => l && !/-->|^\d+$|^WEBVTT$/.test(l))
        .join(' ')
    expect(words(cueText(srtText))).toEqual(expectedWords(talk))
    expect(words(cueText(vttText))).toEqual(expectedWords(talk))
  })

  it('text: the transcript and a newline', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'text' })
    const text = await res.text()
    expect(text.endsWith('\n')).toBe(true)
    expect(words(text)).toEqual(expectedWords(talk))
  })

  it('words come out the same whether Parakeet sends them with leading spaces or without', async () => {
    bed.parakeet.setLeadingSpaces(true)
    try {
      const spaced = (await (await bed.post('/v1/audio/transcriptions', talkPath)).json()) as { text: string }
      bed.parakeet.setLeadingSpaces(false)
      const bare = (await (await bed.post('/v1/audio/transcriptions', talkPath)).json()) as { text: string }
      expect(spaced.text).toBe(bare.text)
      expect(spaced.text).not.toMatch(/ {2}| [.,!?]/)
    } finally {
      bed.parakeet.setLeadingSpaces(false)
    }
  })

  it('while Parakeet works on a request, it counts in Parakeet’s in_flight (busy, not down)', async () => {
    const inFlight = async () => {
      const status = (await (await bed.app.request('/api/speech/status')).json()) as {
        upstreams: { name: string; in_flight: number }[]
      }
      return status.upstreams.find((u) => u.name === 'parakeet')?.in_flight
    }
    const pending = bed.post('/v1/audio/transcriptions', talkPath)
    await expect.poll(inFlight, { timeout: 20_000, interval: 10 }).toBe(1)
    expect((await pending).status).toBe(200)
    expect(await inFlight()).toBe(0)
  })

  it('diarized_json: segments carry speakers, two of them, alternating like the script', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'diarized_json' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { segments: { speaker: string; text: string }[] }
    const speakers = new Set(body.segments.map((s) => s.speaker))
    expect([...speakers].sort()).toEqual(['Speaker_0', 'Speaker_1'])
    expect(Number(/diar;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1])).toBeGreaterThan(0)
  })
})

describe('POST /v1/audio/transcriptions: what is uploaded', () => {
  it.each(Object.keys(FORMATS) as FormatName[])('%s: the dialogue’s words', async (format) => {
    const variant = await formatVariant(format)
    const path = await bed.keep(variant.path, { truth: false })
    const res = await bed.post('/v1/audio/transcriptions', path)
    expect(res.status).toBe(200)
    expect(words(((await res.json()) as { text: string }).text)).toEqual(expectedWords(talk))
  })

  it('stereo with the same signal on both channels reads as the mono file', async () => {
    const stereo = await bed.keep((await identicalStereo()).path, { truth: false })
    const mono = (await (await bed.post('/v1/audio/transcriptions', talkPath)).json()) as { text: string }
    const res = await bed.post('/v1/audio/transcriptions', stereo)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { text: string }).text).toBe(mono.text)
  })

  it('silence only: 200 with empty text, and empty captions', async () => {
    const silence = await bed.keep((await silenceOnly()).path)
    const res = await bed.post('/v1/audio/transcriptions', silence)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ text: '' })
    const srt = await bed.post('/v1/audio/transcriptions', silence, { response_format: 'srt' })
    expect(await srt.text()).toBe('')
  })

  it.each(['text', 'png'] as const)(
    'a %s file: 415 in the OpenAI envelope, nothing left behind',
    async (kind) => {
      const path = await bed.keep(await nonAudio(kind), { truth: false })
      const res = await bed.post('/v1/audio/transcriptions', path)
      expect(res.status).toBe(415)
      const body = (await res.json()) as { error: { type: string; code: string; message: string } }
      expect(body.error.type).toBe('invalid_request_error')
      expect(body.error.code).toBe('unsupported_media_type')
      expect(await bed.leftovers()).toEqual([])
    },
  )

  it('a bad form field: 422 naming it', async () => {
    const res = await bed.post('/v1/audio/transcriptions', talkPath, { response_format: 'mp4' })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { error: { param: string } }
    expect(body.error.param).toBe('response_format')
  })
})

describe('POST /v1/audio/transcriptions: limits', () => {
  let small: TranscriptionBed
  beforeAll(async () => {
    small = await startTranscriptionBed({ env: { AUDIO_BODY_LIMIT_BYTES: String(64 * 1024) } })
  })
  afterAll(async () => {
    await small?.close()
  })

  it('an upload over the limit: 413 naming the limit, nothing left behind', async () => {
    const res = await small.post('/v1/audio/transcriptions', talkPath)
    expect(res.status).toBe(413)
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).toMatch(/65536|64 KiB|64 KB/)
    expect(await small.leftovers()).toEqual([])
  })
})
