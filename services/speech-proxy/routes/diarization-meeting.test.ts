/**
 * The 10.5-minute, six-voice meeting through POST /v1/audio/diarization: cut into ~16 chunks, each
 * diarized by the simulated Sortformer (at most four labels per chunk, shuffled, noisy embeddings)
 * and linked back into the meeting's speakers.
 *
 * What the simulator can tell apart bounds what linking can reach. Two pairs of the fixture's voices
 * (Ben/Dev: en-gb at pitch 30 and en-gb+m3 at 25; Ada/Finn: en-us at 50 and en-us+m7 at 40) get
 * simulated embeddings as close across the pair as within one voice (cosine 0.69–0.70 across,
 * 0.68–0.76 within, measured on 10 s chunks), and the simulated diarizer already puts each pair
 * under one label inside a chunk. So the test holds each voice the simulator separates (Eve, Cleo,
 * and each pair) to one label of its own, and every single speaker to one label for most of their
 * speech.
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

/** The label holding most of these speakers' speech, and its share. */
function mainLabel(who: readonly string[], turns: readonly Turn[]) {
  const mine = m.lines.filter((l) => who.includes(l.speaker))
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

it('keeps the voices the diarizer can tell apart under distinct labels across the whole meeting', async () => {
  const res = await bed.post('/v1/audio/diarization', path)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { duration: number; segments: Turn[]; speakers: string[] }
  expect(body.duration).toBeGreaterThan(600)
  expect(body.speakers.length).toBeGreaterThanOrEqual(4)
  const groups = [['Eve'], ['Cleo'], ['Ben', 'Dev'], ['Ada', 'Finn']].map((g) => mainLabel(g, body.segments))
  expect(new Set(groups.map((g) => g.label)).size).toBe(4)
  for (const g of groups.slice(0, 2)) expect(g.share).toBeGreaterThanOrEqual(0.9)
  for (const g of groups.slice(2)) expect(g.share).toBeGreaterThanOrEqual(0.8)
  for (const who of ['Ada', 'Ben', 'Cleo', 'Dev', 'Eve', 'Finn'])
    expect(mainLabel([who], body.segments).share, who).toBeGreaterThanOrEqual(0.75)
  // Turns are in order and never overlap: each moment is owned by one chunk's body.
  for (let i = 1; i < body.segments.length; i++)
    expect(body.segments[i]!.start).toBeGreaterThanOrEqual(body.segments[i - 1]!.end - 1e-6)
  expect(await bed.leftovers()).toEqual([])
}, 90_000)
