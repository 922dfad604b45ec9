/**
 * The diarization routes end to end: real fixtures, real ffmpeg, the simulated Parakeet's
 * Sortformer (chunk-local shuffled labels, noisy embeddings) behind the admission lanes.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AudioFixture, dialogue, nonAudio, silenceOnly } from '../../../tests/fixtures/audio/fixtures.ts'
import { runAudioTool } from '../adapters/ffmpeg-run.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let talk: AudioFixture
let talkPath: string

beforeAll(async () => {
  bed = await startTranscriptionBed()
  talk = await dialogue()
  talkPath = await bed.keep(talk.path, { truth: false })
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

interface Turn {
  start: number
  end: number
  speaker: string
}

/** Per true speaker, the label holding most of their speech and its share of it. */
function mapping(lines: AudioFixture['lines'], turns: readonly Turn[]) {
  const out = new Map<string, { label: string; share: number }>()
  for (const who of new Set(lines.map((l) => l.speaker))) {
    const mine = lines.filter((l) => l.speaker === who)
    const total = mine.reduce((s, l) => s + l.end - l.start, 0)
    const by = new Map<string, number>()
    for (const l of mine)
      for (const t of turns) {
        const o = Math.min(l.end, t.end) - Math.max(l.start, t.start)
        if (o > 0) by.set(t.speaker, (by.get(t.speaker) ?? 0) + o)
      }
    const [label, time] = [...by].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
    out.set(who, { label, share: time / total })
  }
  return out
}

describe('POST /v1/audio/diarization', () => {
  it('tells the two voices of the dialogue apart, in seconds, Speaker_0 first', async () => {
    const res = await bed.post('/v1/audio/diarization', talkPath, { model: 'any' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-queue-position')).toBe('0')
    expect(res.headers.get('server-timing')).toMatch(/queue;dur=.*diar;dur=/)
    const body = (await res.json()) as { duration: number; segments: Turn[]; speakers: string[] }
    expect(body.duration).toBeCloseTo(talk.duration, 1)
    expect(body.speakers).toEqual(['Speaker_0', 'Speaker_1'])
    expect(Object.keys(body.segments[0]!).sort()).toEqual(['end', 'speaker', 'start'])
    expect(body.segments[0]!.speaker).toBe('Speaker_0')
    const m = mapping(talk.lines, body.segments)
    expect(new Set([...m.values()].map((v) => v.label)).size).toBe(2)
    for (const v of m.values()) expect(v.share).toBeGreaterThanOrEqual(0.9)
    expect(await bed.leftovers()).toEqual([])
  }, 60_000)

  it('answers RTTM lines named after the file', async () => {
    const res = await bed.post('/v1/audio/diarization', talkPath, { response_format: 'rttm' })
    expect(res.status).toBe(200)
    const lines = (await res.text()).trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(talk.lines.length)
    for (const line of lines)
      expect(line).toMatch(/^SPEAKER \S+ 1 \d+\.\d{3} \d+\.\d{3} <NA> <NA> Speaker_[01] <NA> <NA>$/)
  }, 60_000)

  it('names a speaker after the known reference clip that matches the voice', async () => {
    // Ada's first line, cut from the dialogue, as the reference clip.
    const first = talk.lines[0]!
    const clip = join(bed.dir, 'ada.wav')
    const cut = [
      '-y',
      '-i',
      talk.path,
      '-ss',
      String(first.start),
      '-t',
      String(first.end - first.start),
      clip,
    ]
    expect(
      (await runAudioTool('ffmpeg', cut, { signal: new AbortController().signal, timeoutMs: 30_000 })).code,
    ).toBe(0)
    const ref = `data:audio/wav;base64,${(await readFile(clip)).toString('base64')}`
    const res = await bed.post('/v1/audio/diarization', talkPath, {
      'known_speaker_names[]': 'Ada',
      'known_speaker_references[]': ref,
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { segments: Turn[]; speakers: string[] }
    expect(body.speakers.sort()).toEqual(['Ada', 'Speaker_0'])
    expect(mapping(talk.lines, body.segments).get(first.speaker)?.label).toBe('Ada')
  }, 60_000)

  it('refuses bad hints, formats and references with 422 in the OpenAI envelope, before any work', async () => {
    const cases: Record<string, string>[] = [
      { num_speakers: '0' },
      { min_speakers: '5', max_speakers: '2' },
      { response_format: 'srt' },
      { 'known_speaker_names[]': 'Ada' },
      { 'known_speaker_names[]': 'Ada', 'known_speaker_references[]': 'https://example.com/ada.wav' },
      { priority: 'urgent' },
    ]
    const before = bed.parakeet.requestCount('/v1/audio/diarize-chunk')
    for (const fields of cases) {
      const res = await bed.post('/v1/audio/diarization', talkPath, fields)
      expect(res.status, JSON.stringify(fields)).toBe(422)
      const body = (await res.json()) as { error: { message: string; type: string } }
      expect(body.error.message).toBeTruthy()
    }
    expect(bed.parakeet.requestCount('/v1/audio/diarize-chunk')).toBe(before)
    expect(await bed.leftovers()).toEqual([])
  }, 60_000)

  it('answers silence with no speakers', async () => {
    const quiet = await bed.keep((await silenceOnly()).path, { truth: false })
    const res = await bed.post('/v1/audio/diarization', quiet)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ segments: [], speakers: [] })
  }, 60_000)

  it('says 415 for a file that is not audio', async () => {
    const res = await bed.post('/v1/audio/diarization', await nonAudio('text'))
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy()
  })
})

describe('the earlier /api/audio diarization routes', () => {
  it('/api/audio/diarize answers the earlier shape: seconds, confidence, speakers_detected, models', async () => {
    const res = await bed.post('/api/audio/diarize', talkPath)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      duration: number
      segments: (Turn & { confidence: number })[]
      speakers_detected: string[]
      models: { diarization: string }
    }
    expect(body.duration).toBeCloseTo(talk.duration, 1)
    expect(body.speakers_detected).toEqual(['Speaker_0', 'Speaker_1'])
    expect(body.models.diarization).toBe('nvidia/diar_sortformer_4spk-v1')
    for (const s of body.segments) {
      expect(s.confidence).toBeGreaterThan(0)
      expect(s.end).toBeGreaterThan(s.start)
    }
    for (const v of mapping(talk.lines, body.segments).values()) expect(v.share).toBeGreaterThanOrEqual(0.9)
  }, 60_000)

  it('/api/audio/diarize-chunk passes the chunk-local answer on, with 192-float fingerprints', async () => {
    const res = await bed.post('/api/audio/diarize-chunk', talkPath)
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      segments: { start_s: number; end_s: number; speaker: string; confidence: number }[]
      speakers_detected: string[]
      fingerprints: Record<string, number[]>
      models: { diarization: string; embedding: string }
    }
    expect(body.speakers_detected).toHaveLength(2)
    expect(Object.keys(body.fingerprints).sort()).toEqual([...body.speakers_detected].sort())
    for (const fp of Object.values(body.fingerprints)) expect(fp).toHaveLength(192)
    expect(body.segments[0]).toMatchObject({ start_s: expect.any(Number), end_s: expect.any(Number) })
    expect(body.models.embedding).toContain('titanet')
  }, 60_000)

  it('answers a wedged diarizer with 503, Retry-After 60 and a detail', async () => {
    await bed.parakeet.setMode('wedged')
    try {
      for (const path of ['/api/audio/diarize', '/api/audio/diarize-chunk']) {
        const res = await bed.post(path, talkPath)
        expect(res.status).toBe(503)
        expect(res.headers.get('retry-after')).toBe('60')
        expect(((await res.json()) as { detail: unknown }).detail).toBeTruthy()
      }
    } finally {
      await bed.parakeet.setMode('ok')
    }
    expect(await bed.leftovers()).toEqual([])
  }, 60_000)

  it('refuses an upload over the limit with 413 naming it', async () => {
    const small = await startTranscriptionBed({ env: { AUDIO_BODY_LIMIT_BYTES: '4096' } })
    try {
      const res = await small.post('/api/audio/diarize', talkPath)
      expect(res.status).toBe(413)
      expect(JSON.stringify(await res.json())).toMatch(/4096|4 KiB|4\.0 KB|limit/i)
    } finally {
      await small.close()
    }
  }, 60_000)
})
