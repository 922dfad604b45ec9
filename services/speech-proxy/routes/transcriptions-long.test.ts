/**
 * The 6-speaker meeting (over ten minutes) through the chunking path: cut at pauses, each chunk
 * queued and transcribed on its own by the simulated Parakeet, stitched back with file-wide times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AudioFixture, meeting } from '../../../tests/fixtures/audio/fixtures.ts'
import { startTranscriptionBed, type TranscriptionBed } from '../testing/transcription-bed.ts'

let bed: TranscriptionBed
let long: AudioFixture
let path: string

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean)

beforeAll(async () => {
  bed = await startTranscriptionBed()
  long = await meeting()
  path = await bed.keep(long.path)
}, 300_000)

afterAll(async () => {
  await bed?.close()
})

describe('a meeting longer than ten minutes', () => {
  it('every line’s words once, in order, each inside its line’s time, from several chunks', async () => {
    expect(long.duration).toBeGreaterThan(600)
    const before = bed.parakeet.requestCount('/v1/audio/transcriptions')
    const res = await bed.post('/v1/audio/transcriptions', path, {
      response_format: 'verbose_json',
      'timestamp_granularities[]': 'word',
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      duration: number
      text: string
      words: { word: string; start: number; end: number }[]
    }
    // 10.5 minutes in chunks of about two: at least five upstream calls.
    expect(bed.parakeet.requestCount('/v1/audio/transcriptions') - before).toBeGreaterThanOrEqual(5)
    expect(body.duration).toBeCloseTo(long.duration, 1)

    const expected = long.lines.flatMap((line) => words(line.text).map((w) => ({ w, line })))
    const heard = body.words.flatMap((w) => words(w.word).map((x) => ({ w: x, start: w.start, end: w.end })))
    expect(heard.map((h) => h.w)).toEqual(expected.map((e) => e.w))
    for (const [i, h] of heard.entries()) {
      const { line } = expected[i]!
      expect(h.start, `${h.w} of "${line.text}"`).toBeGreaterThanOrEqual(line.start - 0.3)
      expect(h.end, `${h.w} of "${line.text}"`).toBeLessThanOrEqual(line.end + 0.3)
      if (i > 0) expect(h.start).toBeGreaterThanOrEqual(heard[i - 1]!.start)
    }
    expect(words(body.text)).toEqual(expected.map((e) => e.w))
    expect(await bed.leftovers()).toEqual([])
  }, 300_000)
})
