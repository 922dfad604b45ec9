import { describe, expect, it } from 'vitest'
import { createEstimate, projectedWaitS, retryAfterS } from './estimate.ts'

describe('service estimate', () => {
  it('starts from the given estimate and moves towards what is measured, per work unit', () => {
    const e = createEstimate(1, 0.5)
    e.observe(30, 60) // 0.5 s per unit
    expect(e.sPerWork).toBeCloseTo(0.75)
    e.observe(30, 60)
    expect(e.sPerWork).toBeCloseTo(0.625)
  })

  it('ignores measurements that say nothing (no work, negative or endless time)', () => {
    const e = createEstimate(2)
    e.observe(5, 0)
    e.observe(-1, 10)
    e.observe(Number.POSITIVE_INFINITY, 10)
    expect(e.sPerWork).toBe(2)
  })
})

describe('projected wait', () => {
  it('is zero with a free slot and nobody ahead', () => {
    expect(
      projectedWaitS({ limit: 2, running: [{ work: 100, elapsedS: 0 }], workAhead: 0, sPerWork: 1 }),
    ).toBe(0)
  })

  it('adds what the running requests have left to the queued work, over the slots', () => {
    const running = [
      { work: 100, elapsedS: 4 }, // 10 s total, 6 left
      { work: 10, elapsedS: 5 }, // overran its estimate: 0 left, not negative
    ]
    expect(projectedWaitS({ limit: 2, running, workAhead: 40, sPerWork: 0.1 })).toBeCloseTo((6 + 4) / 2)
  })

  it('rounds a retry up to whole seconds, and never below 1', () => {
    expect(retryAfterS(0)).toBe(1)
    expect(retryAfterS(0.2)).toBe(1)
    expect(retryAfterS(12.01)).toBe(13)
  })
})
