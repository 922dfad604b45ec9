/**
 * Speaker linking behind a diarized transcript: the 10.5-minute meeting transcribed with
 * `response_format=diarized_json` is cut into the transcription pipeline's chunks (about two
 * minutes each), each diarized on its own by the simulated Sortformer with shuffled labels, and
 * the labels linked across chunks before words get their speakers.
 *
 * In two-minute chunks the simulated Sortformer hears all six voices and force-fits them into four
 * slots: Ada, Ben, Dev and Finn (the closer voices) mostly share one slot in every chunk, which no
 * linking can undo. Eve and Cleo keep slots of their own, so they are what this test follows: one
 * label each for nearly all their words, across every chunk.
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

interface Block {
  start: number
  end: number
  speaker: string
}

function mainLabel(who: string, blocks: readonly Block[]) {
  const mine = m.lines.filter((l) => l.speaker === who)
  const total = mine.reduce((s, l) => s + l.end - l.start, 0)
  const by = new Map<string, number>()
  for (const l of mine)
    for (const b of blocks) {
      const o = Math.min(l.end, b.end) - Math.max(l.start, b.start)
      if (o > 0) by.set(b.speaker, (by.get(b.speaker) ?? 0) + o)
    }
  const [label, time] = [...by].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
  return { label, share: time / total }
}

it('keeps one label per voice across the chunks of a long diarized transcript', async () => {
  const res = await bed.post('/v1/audio/transcriptions', path, { response_format: 'diarized_json' })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { segments: Block[] }
  const eve = mainLabel('Eve', body.segments)
  const cleo = mainLabel('Cleo', body.segments)
  expect(eve.label).not.toBe(cleo.label)
  expect(eve.share).toBeGreaterThanOrEqual(0.9)
  expect(cleo.share).toBeGreaterThanOrEqual(0.9)
  expect(new Set(body.segments.map((s) => s.speaker)).size).toBeLessThanOrEqual(8)
}, 90_000)
