import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { type Chunk, type ChunkPlanOptions, DEFAULT_CHUNKING, planChunks } from './chunking.ts'
import type { Timed } from './types.ts'

function expectValidPlan(chunks: Chunk[], durationS: number, opts: ChunkPlanOptions) {
  expect(chunks[0]?.bodyStart).toBe(0)
  expect(chunks.at(-1)?.bodyEnd).toBe(durationS)
  for (const [i, c] of chunks.entries()) {
    expect(c.index).toBe(i)
    expect(c.bodyEnd).toBeGreaterThan(c.bodyStart)
    if (i > 0) expect(c.bodyStart).toBe(chunks[i - 1]?.bodyEnd)
    expect(c.end - c.start).toBeLessThanOrEqual(opts.maxS + 1e-9)
    expect(c.start).toBeCloseTo(Math.max(0, c.bodyStart - opts.marginS), 9)
    expect(c.end).toBeCloseTo(Math.min(durationS, c.bodyEnd + opts.marginS), 9)
  }
}

describe('planChunks', () => {
  it('sends a file that fits as one chunk', () => {
    expect(planChunks(150, [], DEFAULT_CHUNKING)).toEqual([
      { index: 0, start: 0, end: 150, bodyStart: 0, bodyEnd: 150 },
    ])
  })

  it('cuts at the middle of the longest pause near the target', () => {
    const pauses = [
      { start: 100, end: 100.5 },
      { start: 118, end: 119 },
      { start: 131, end: 133 },
      { start: 200, end: 200.4 },
    ]
    const chunks = planChunks(400, pauses, DEFAULT_CHUNKING)
    expect(chunks[0]?.bodyEnd).toBe(132)
    expect(chunks[0]).toMatchObject({ start: 0, end: 144 })
    expectValidPlan(chunks, 400, DEFAULT_CHUNKING)
  })

  it('takes a pause further from the target when there is none near it, and cuts at the target when there is none at all', () => {
    const far = planChunks(400, [{ start: 70, end: 71 }], DEFAULT_CHUNKING)
    expect(far[0]?.bodyEnd).toBe(70.5)
    const none = planChunks(400, [], DEFAULT_CHUNKING)
    expect(none.map((c) => c.bodyEnd)).toEqual([120, 240, 400])
    expectValidPlan(none, 400, DEFAULT_CHUNKING)
  })

  it('never cuts past the longest body even inside a long pause', () => {
    const opts = { targetS: 100, maxS: 130, marginS: 10 }
    const chunks = planChunks(1000, [{ start: 50, end: 900 }], opts)
    expectValidPlan(chunks, 1000, opts)
  })

  it('refuses options where the margins leave no body', () => {
    expect(() => planChunks(500, [], { targetS: 100, maxS: 110, marginS: 10 })).toThrow(RangeError)
  })

  it('keeps its invariants over random files, pauses and options', () => {
    const random = seededRandom(42)
    for (let run = 0; run < 300; run++) {
      const durationS = 1 + random() * 7200
      const marginS = random() * 20
      const targetS = 20 + random() * 200
      const opts = { targetS, marginS, maxS: targetS + 2 * marginS + random() * 100 }
      const pauses: Timed[] = []
      for (let t = random() * 30; t < durationS; t += random() * 60) {
        const len = random() * 3
        pauses.push({ start: t, end: Math.min(durationS, t + len) })
        t += len
      }
      expectValidPlan(planChunks(durationS, pauses, opts), durationS, opts)
    }
  })
})
