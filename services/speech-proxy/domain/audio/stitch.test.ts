import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { type Chunk, planChunks } from './chunking.ts'
import { type ChunkResult, stitch } from './stitch.ts'
import type { Word } from './types.ts'

/** What an ASR would hear of a chunk: the words overlapping it, cut at its edges, in chunk time. */
function hear(chunk: Chunk, words: Word[], leadingSpaces: boolean): Word[] {
  return words
    .filter((w) => w.end > chunk.start && w.start < chunk.end)
    .map((w) => ({
      ...w,
      word: leadingSpaces ? ` ${w.word}` : w.word,
      start: Math.max(w.start, chunk.start) - chunk.start,
      end: Math.min(w.end, chunk.end) - chunk.start,
    }))
}

const round = (words: Word[]) =>
  words.map((w) => ({ ...w, word: w.word.trim(), start: +w.start.toFixed(6), end: +w.end.toFixed(6) }))

describe('stitch', () => {
  it('keeps every word exactly once, in file time and in order, over random chunk plans', () => {
    const random = seededRandom(9)
    for (let run = 0; run < 150; run++) {
      const duration = 200 + random() * 3000
      const words: Word[] = []
      for (let t = random(); t < duration - 1.2; ) {
        const len = 0.1 + random() * 0.9
        words.push({ word: `w${words.length}`, start: t, end: t + len, speaker: 'A' })
        t += len + random() * (random() < 0.05 ? 4 : 0.3)
      }
      const pauses = words.slice(1).map((w, i) => ({ start: words[i]?.end as number, end: w.start }))
      const marginS = 2 + random() * 13
      const targetS = 30 + random() * 150
      const plan = planChunks(duration, pauses, {
        targetS,
        marginS,
        maxS: targetS + 2 * marginS + random() * 40,
      })
      const leading = random() < 0.5
      const results: ChunkResult[] = plan.map((chunk) => ({
        chunk,
        words: hear(chunk, words, leading),
        segments: [],
      }))
      const out = stitch(results)
      expect(round(out.words)).toEqual(round(words))
      expect(out.text).toBe(words.map((w) => w.word).join(' '))
    }
  })

  it('moves segments to file time, trims a segment cut by a chunk boundary word by word, and renumbers', () => {
    const plan = planChunks(280, [{ start: 119, end: 121 }], { targetS: 120, maxS: 180, marginS: 10 })
    expect(plan.map((c) => c.bodyEnd)).toEqual([120, 280])
    const w = (word: string, start: number, end: number): Word => ({ word, start, end })
    // Chunk 0 hears 0–130 s; chunk 1 hears 110–280 s (local 0 = 110 s).
    const first: ChunkResult = {
      chunk: plan[0] as Chunk,
      words: [
        w('Hello', 1, 1.5),
        w('there', 1.6, 2),
        w('Late', 117, 117.5),
        w('words', 117.6, 118.5),
        w('next', 122, 122.5),
      ],
      segments: [
        { id: 0, start: 1, end: 2, text: 'Hello there' },
        { id: 1, start: 117, end: 122.5, text: 'Late words next' },
      ],
    }
    const second: ChunkResult = {
      chunk: plan[1] as Chunk,
      words: [w('Late', 7, 7.5), w('words', 7.6, 8.5), w('next', 12, 12.5), w('one', 12.6, 13)],
      segments: [{ id: 0, start: 7, end: 13, text: 'Late words next one' }],
    }
    const out = stitch([second, first])
    expect(out.segments).toMatchObject([
      { id: 0, start: 1, end: 2, text: 'Hello there' },
      { id: 1, start: 117, end: 118.5, text: 'Late words' },
      { id: 2, start: 122, end: 123, text: 'next one' },
    ])
    expect(out.words.map((x) => x.word)).toEqual(['Hello', 'there', 'Late', 'words', 'next', 'one'])
    expect(out.text).toBe('Hello there Late words next one')
  })

  it('keeps a segment without words by its midpoint, and clamps times to what the chunk was sent', () => {
    const plan = planChunks(280, [], { targetS: 120, maxS: 180, marginS: 10 })
    const out = stitch(
      plan.map((chunk) => ({
        chunk,
        words: [],
        segments: [{ id: 0, start: 5, end: 500, text: `from ${chunk.index}` }],
      })),
    )
    expect(out.segments.map((s) => [s.text, s.start, s.end])).toEqual([
      ['from 0', 5, 130],
      ['from 1', 115, 280],
    ])
  })
})
