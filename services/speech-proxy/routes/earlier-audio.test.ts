/**
 * POST /api/audio/transcribe-with-speakers, the earlier audio API: speaker blocks in milliseconds,
 * `{"detail": ...}` errors, 503 + Retry-After 60 when Parakeet is wedged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AudioFixture, dialogue, nonAudio } from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

const PATH = '/api/audio/transcribe-with-speakers'
let bed: TranscriptionBed
let talk: AudioFixture
let talkPath: string

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)

interface SpeakerTranscript {
  duration: number
  language: string | null
  speakers_detected: string[]
  segments: { start_ms: number; end_ms: number; speaker: string; text: string }[]
  models: { transcription: string; diarization: string }
}

beforeAll(async () => {
  bed = await startTranscriptionBed()
  talk = await dialogue()
  talkPath = await bed.keep(talk.path)
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

describe('POST /api/audio/transcribe-with-speakers', () => {
  it('one block per line of the dialogue, two speakers taking turns, milliseconds, the lines’ words', async () => {
    const res = await bed.post(PATH, talkPath)
    expect(res.status).toBe(200)
    const body = (await res.json()) as SpeakerTranscript
    expect(Object.keys(body).sort()).toEqual([
      'duration',
      'language',
      'models',
      'segments',
      'speakers_detected',
    ])
    expect(body.duration).toBeCloseTo(talk.duration, 1)
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1'])
    expect(body.models).toEqual({
      transcription: 'nvidia/parakeet-tdt-0.6b-v3',
      diarization: 'nvidia/diar_sortformer_4spk-v1',
    })
    expect(body.segments).toHaveLength(talk.lines.length)
    const voiceOf = new Map<string, string>()
    for (const [i, seg] of body.segments.entries()) {
      const line = talk.lines[i]!
      expect(words(seg.text)).toEqual(words(line.text))
      expect(seg.text).not.toMatch(/ [.,!?]|\s{2}/)
      expect(Number.isInteger(seg.start_ms) && Number.isInteger(seg.end_ms)).toBe(true)
      expect(Math.abs(seg.start_ms - line.start * 1000)).toBeLessThan(300)
      expect(Math.abs(seg.end_ms - line.end * 1000)).toBeLessThan(300)
      // The same voice keeps its label; the two voices never share one.
      const known = voiceOf.get(line.speaker) ?? seg.speaker
      voiceOf.set(line.speaker, known)
      expect(seg.speaker).toBe(known)
    }
    expect(new Set(voiceOf.values()).size).toBe(2)
    expect(body.segments[0]!.speaker).toBe('Speaker_0')
    expect(res.headers.get('server-timing')).toMatch(/diar;dur=[\d.]+/)
    expect(await bed.leftovers()).toEqual([])
  })

  it('a file that is not audio: 415 with a detail', async () => {
    const res = await bed.post(PATH, await bed.keep(await nonAudio('text'), { truth: false }))
    expect(res.status).toBe(415)
    expect(typeof ((await res.json()) as { detail: unknown }).detail).toBe('string')
  })

  it('no file: 422 in the FastAPI shape', async () => {
    const form = new FormData()
    form.set('language', 'en')
    const res = await bed.app.request(PATH, { method: 'POST', body: form })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { detail: { loc: string[]; msg: string }[] }
    expect(body.detail[0]!.loc).toEqual(['body', 'file'])
  })
})

describe('POST /api/audio/transcribe-with-speakers: limits and a wedged GPU', () => {
  let small: TranscriptionBed
  let wedged: TranscriptionBed
  beforeAll(async () => {
    small = await startTranscriptionBed({ env: { AUDIO_BODY_LIMIT_BYTES: String(100 * 1024) } })
    wedged = await startTranscriptionBed()
    await wedged.parakeet.setMode('wedged')
  })
  afterAll(async () => {
    await small?.close()
    await wedged?.close()
  })

  it('over the limit: 413 whose detail names it', async () => {
    const res = await small.post(PATH, talkPath)
    expect(res.status).toBe(413)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/102400|100 KiB|100 KB/)
    expect(await small.leftovers()).toEqual([])
  })

  it('Parakeet answering with a cuBLAS fault: 503, Retry-After 60, a detail naming the fault', async () => {
    const res = await wedged.post(PATH, await wedged.keep(talk.path))
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('60')
    expect(((await res.json()) as { detail: string }).detail).toMatch(/CUBLAS_STATUS_/)
    expect(await wedged.leftovers()).toEqual([])
  })
})
