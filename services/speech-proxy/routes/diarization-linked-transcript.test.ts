/**
 * Speakers behind a diarized transcript: the 10.5-minute, six-voice meeting transcribed with
 * `response_format=diarized_json` (and through `transcribe-with-speakers`). ASR runs over the
 * transcription's ~2-minute chunks while the diarizer works beside it over the diarization route's
 * 40 s chunks (a 2-minute chunk of this meeting can hold five voices, beyond Sortformer's four
 * slots), its labels linked across chunks; each word then takes the speaker of its turn. The bar is
 * the issue's: six distinct labels, each speaker's words (≥ 90 % of them) under one label of their
 * own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type AudioFixture, meeting } from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let m: AudioFixture
let path: string

beforeAll(async () => {
  bed = await startTranscriptionBed()
  m = await meeting()
  path = await bed.keep(m.path, { truth: false })
}, 120_000)

afterAll(async () => {
  await bed?.close()
})

interface Word {
  start: number
  end: number
  speaker: string
}

/**
 * A speaker block's words, spread evenly over its span: the speaker formats carry the blocks' text
 * and times, not each word's, and a block is one speaker's run, so a word lands inside the span of
 * the line it belongs to unless the block straddles a change of voice.
 */
function spreadWords(blocks: readonly { start: number; end: number; speaker: string; text: string }[]) {
  return blocks.flatMap((b) => {
    const n = b.text.split(/\s+/).filter(Boolean).length
    const step = (b.end - b.start) / Math.max(n, 1)
    return Array.from({ length: n }, (_, k) => ({
      start: b.start + k * step,
      end: b.start + (k + 1) * step,
      speaker: b.speaker,
    }))
  })
}

/** Who really said a word: the truth line covering most of it (none for a word in no line). */
function sayer(w: Word): string | undefined {
  let best: { who: string; o: number } | undefined
  for (const l of m.lines) {
    const o = Math.min(w.end, l.end) - Math.max(w.start, l.start)
    if (o > 0 && (!best || o > best.o)) best = { who: l.speaker, o }
  }
  return best?.who
}

/** Per real speaker: the label holding most of their words, and its share of them. */
function mainLabels(words: readonly Word[]) {
  const by = new Map<string, Map<string, number>>()
  for (const w of words) {
    const who = sayer(w)
    if (!who) continue
    const counts = by.get(who) ?? new Map<string, number>()
    counts.set(w.speaker, (counts.get(w.speaker) ?? 0) + 1)
    by.set(who, counts)
  }
  return [...by].map(([who, counts]) => {
    const total = [...counts.values()].reduce((a, b) => a + b, 0)
    const [label, n] = [...counts].sort((a, b) => b[1] - a[1])[0] as [string, number]
    return { who, label, share: n / total, words: total }
  })
}

function expectSixVoices(words: readonly Word[], speakers: readonly string[]) {
  const main = mainLabels(words)
  expect(main.map((s) => s.who).sort()).toEqual([...new Set(m.lines.map((l) => l.speaker))].sort())
  for (const s of main) {
    expect(s.words, s.who).toBeGreaterThan(20)
    expect(s.share, `${s.who} under ${s.label}`).toBeGreaterThanOrEqual(0.9)
  }
  expect(new Set(main.map((s) => s.label)).size).toBe(6)
  expect(speakers.length).toBeGreaterThanOrEqual(6)
  expect(speakers.length).toBeLessThanOrEqual(8)
}

it('diarized_json keeps each of the six voices under one label of its own across the meeting', async () => {
  const res = await bed.post('/v1/audio/transcriptions', path, { response_format: 'diarized_json' })
  expect(res.status).toBe(200)
  expect(res.headers.get('Server-Timing')).toMatch(/diar;dur=[1-9]/)
  const body = (await res.json()) as {
    segments: { start: number; end: number; speaker: string; text: string }[]
  }
  expectSixVoices(spreadWords(body.segments), [...new Set(body.segments.map((s) => s.speaker))])
  expect(await bed.leftovers()).toEqual([])
}, 90_000)

it('transcribe-with-speakers holds the same bar', async () => {
  const res = await bed.post('/api/audio/transcribe-with-speakers', path)
  expect(res.status).toBe(200)
  const body = (await res.json()) as {
    segments: { start_ms: number; end_ms: number; speaker: string; text: string }[]
    speakers_detected: string[]
  }
  const blocks = body.segments.map((s) => ({ ...s, start: s.start_ms / 1000, end: s.end_ms / 1000 }))
  expectSixVoices(spreadWords(blocks), body.speakers_detected)
}, 90_000)
