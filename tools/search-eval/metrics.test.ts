import { describe, expect, it } from 'vitest'
import { dcgAt, documentRanking, meanScores, ndcgAt, recallAt, scoreQuery } from './metrics.ts'

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries))

describe('dcgAt', () => {
  it('sums grade / log2(rank + 1) over the first k, by hand', () => {
    // ranks 1..4 carry grades 2, 0, 1, 2: 2/1 + 0 + 1/2 + 2/log2(5)
    const ranking = ['a', 'x', 'b', 'c']
    const rels = judged({ a: 2, b: 1, c: 2 })
    expect(dcgAt(ranking, rels, 4)).toBeCloseTo(2 + 0.5 + 2 / Math.log2(5), 12)
    expect(dcgAt(ranking, rels, 2)).toBeCloseTo(2, 12)
  })
})

describe('ndcgAt', () => {
  it('is 1 for the ideal ranking and less when the order is worse', () => {
    const rels = judged({ a: 2, b: 1 })
    expect(ndcgAt(['a', 'b', 'x'], rels, 10)).toBeCloseTo(1, 12)
    // swapped: (1 + 2/log2 3) / (2 + 1/log2 3)
    const swapped = (1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3))
    expect(ndcgAt(['b', 'a'], rels, 10)).toBeCloseTo(swapped, 12)
    expect(swapped).toBeCloseTo(0.8597, 4)
  })

  it('builds the ideal from every judged document, not only the retrieved ones', () => {
    // only c (grade 1) retrieved, at rank 2; ideal is 2, 2, 1 in ranks 1..3
    const rels = judged({ a: 2, b: 2, c: 1, d: 0 })
    const ideal = 2 + 2 / Math.log2(3) + 1 / 2
    expect(ndcgAt(['x', 'c'], rels, 10)).toBeCloseTo(1 / Math.log2(3) / ideal, 12)
  })

  it('cuts both the ranking and the ideal at k', () => {
    // three relevant, k = 2: ideal 1 + 1/log2 3; found one at rank 2
    const rels = judged({ a: 1, b: 1, c: 1 })
    expect(ndcgAt(['x', 'a', 'b'], rels, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12)
  })

  it('gives no gain for documents judged 0 or not judged, and NaN without a relevant document', () => {
    expect(ndcgAt(['d', 'x'], judged({ a: 1, d: 0 }), 10)).toBe(0)
    expect(ndcgAt(['a'], judged({ a: 0 }), 10)).toBeNaN()
  })
})

describe('recallAt', () => {
  it('counts the relevant documents found in the first k, whatever their grade', () => {
    const rels = judged({ a: 2, b: 1, c: 1, d: 0 })
    expect(recallAt(['a', 'd', 'x', 'c'], rels, 10)).toBeCloseTo(2 / 3, 12)
    expect(recallAt(['a', 'd', 'x', 'c'], rels, 3)).toBeCloseTo(1 / 3, 12)
    expect(recallAt([], rels, 50)).toBe(0)
    expect(recallAt(['a'], judged({}), 10)).toBeNaN()
  })
})

describe('documentRanking', () => {
  it('ranks each document at its best chunk', () => {
    expect(documentRanking(['a', 'b', 'a', 'c', 'b'])).toEqual(['a', 'b', 'c'])
  })
})

describe('meanScores', () => {
  it('averages over the queries that have a relevant document', () => {
    const perQuery = [
      scoreQuery(['a'], judged({ a: 1 })),
      scoreQuery(['x'], judged({ a: 1, b: 1 })),
      scoreQuery(['a'], judged({})),
    ]
    const mean = meanScores(perQuery)
    expect(mean.queries).toBe(2)
    expect(mean.ndcg10).toBeCloseTo(0.5, 12)
    expect(mean.recall10).toBeCloseTo(0.5, 12)
  })
})
