import { describe, expect, it } from 'vitest'
import type { LinkChunk } from './link-types.ts'
import { overlapAgreement } from './overlap.ts'

/** A chunk from file-time turns [start, end, label]. */
function chunk(index: number, start: number, end: number, turns: [number, number, string][]): LinkChunk {
  return {
    index,
    start,
    end,
    bodyStart: start,
    bodyEnd: end,
    diarized: {
      duration: end - start,
      segments: turns.map(([s, e, speaker]) => ({ start_s: s - start, end_s: e - start, speaker })),
      speakers_detected: [...new Set(turns.map((t) => t[2]))],
      fingerprints: {},
    },
  }
}

describe('overlapAgreement', () => {
  it('pairs the labels that speak at the same moments in the shared margin', () => {
    const left = chunk(0, 0, 40, [
      [0, 20, 'Speaker_0'],
      [20, 33, 'Speaker_1'],
      [33, 40, 'Speaker_2'],
    ])
    const right = chunk(1, 30, 70, [
      [30, 33, 'Speaker_3'],
      [33, 45, 'Speaker_0'],
      [45, 70, 'Speaker_1'],
    ])
    const pairs = overlapAgreement(left, right).map((p) => [p.a.label, p.b.label, p.sharedS])
    expect(pairs).toEqual([
      ['Speaker_1', 'Speaker_3', 3],
      ['Speaker_2', 'Speaker_0', 7],
    ])
  })

  it('takes no evidence from a brush of co-speech or from chunks that do not overlap', () => {
    const left = chunk(0, 0, 40, [[0, 30.3, 'Speaker_0']])
    const right = chunk(1, 30, 70, [[30, 70, 'Speaker_1']])
    expect(overlapAgreement(left, right)).toEqual([])
    expect(overlapAgreement(left, chunk(1, 40, 80, [[40, 80, 'Speaker_1']]))).toEqual([])
  })

  it('refuses a pair whose shared speech is under half of either side in the margin', () => {
    // Each side speaks 6 s in the margin, only 2 s of it at the same time: two voices taking turns.
    const left = chunk(0, 0, 40, [[30, 36, 'Speaker_0']])
    const right = chunk(1, 30, 70, [[34, 40, 'Speaker_1']])
    expect(overlapAgreement(left, right)).toEqual([])
    const agreeing = chunk(1, 30, 70, [[31, 36, 'Speaker_1']])
    expect(overlapAgreement(left, agreeing).map((p) => p.sharedS)).toEqual([5])
  })
})
