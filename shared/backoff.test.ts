import { describe, expect, it } from 'vitest'
import { backoffDelay } from './backoff.ts'

describe('backoffDelay', () => {
  const opts = { baseMs: 1000, maxMs: 8000 }

  it('doubles per failure up to the cap, half of each step fixed and half random', () => {
    const low = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...opts, random: () => 0 }))
    const high = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...opts, random: () => 1 }))
    expect(low).toEqual([500, 1000, 2000, 4000, 4000])
    expect(high).toEqual([1000, 2000, 4000, 8000, 8000])
  })

  it('spreads retries over the random half, so clients do not retry in lockstep', () => {
    const spread = new Set(
      Array.from({ length: 20 }, (_, i) => backoffDelay(3, { ...opts, random: () => i / 20 })),
    )
    expect(spread.size).toBe(20)
    expect(Math.min(...spread)).toBe(2000)
    expect(Math.max(...spread)).toBeLessThan(4000)
  })

  it('never exceeds the cap, however many failures (no overflow to Infinity)', () => {
    for (const failures of [31, 200, 10_000]) {
      expect(backoffDelay(failures, { ...opts, random: () => 1 })).toBe(8000)
      expect(backoffDelay(failures, { ...opts, random: () => 0 })).toBe(4000)
    }
    expect(backoffDelay(1, { baseMs: 500, maxMs: 30_000, random: () => 0.5 })).toBe(375)
  })
})
