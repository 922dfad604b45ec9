/**
 * The 10.5-minute, six-voice meeting through POST /v1/audio/diarization: cut into ~16 chunks, each
 * diarized by the simulated Sortformer (at most four labels per chunk, shuffled, noisy embeddings)
 * and linked back into the meeting's speakers. The bar is the issue's: six distinct labels, each
 * speaker's speech (≥ 90 % of it) under one label of their own, across every chunk — including the
 * speakers who fall silent for minutes and come back (the meeting's cast rotates).
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

interface Turn {
  start: number
  end: number
  speaker: string
}

/** The label holding most of this speaker's speech, and its share. */
function mainLabel(who: string, turns: readonly Turn[]) {
  const mine = m.lines.filter((l) => l.speaker === who)
  const total = mine.reduce((s, l) => s + l.end - l.start, 0)
  const by = new Map<string, number>()
  for (const l of mine)
    for (const t of turns) {
      const o = Math.min(l.end, t.end) - Math.max(l.start, t.start)
      if (o > 0) by.set(t.speaker, (by.get(t.speaker) ?? 0) + o)
    }
  const [label, time] = [...by].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
  return { label, share: time / total }
}

it('keeps each of the six voices under one label of its own across the whole meeting', async () => {
  const res = await bed.post('/v1/audio/diarization', path)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { duration: number; segments: Turn[]; speakers: string[] }
  expect(body.duration).toBeGreaterThan(600)
  expect(body.speakers.length).toBeGreaterThanOrEqual(6)
  const speakers = [...new Set(m.lines.map((l) => l.speaker))]
  expect(speakers).toHaveLength(6)
  const main = speakers.map((who) => ({ who, ...mainLabel(who, body.segments) }))
  for (const s of main) expect(s.share, s.who).toBeGreaterThanOrEqual(0.9)
  expect(new Set(main.map((s) => s.label)).size).toBe(6)
  // Turns are in order and never overlap: each moment is owned by one chunk's body.
  for (let i = 1; i < body.segments.length; i++)
    expect(body.segments[i]!.start).toBeGreaterThanOrEqual(body.segments[i - 1]!.end - 1e-6)
  expect(await bed.leftovers()).toEqual([])
}, 90_000)
