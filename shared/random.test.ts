import { describe, expect, it } from 'vitest'
import { seededRandom } from './random.ts'

describe('seededRandom', () => {
  it('gives the same sequence for the same seed: the pinned mulberry32 outputs', () => {
    const r = seededRandom(42)
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099])
    const a = seededRandom(20260101)
    const b = seededRandom(20260101)
    expect(Array.from({ length: 100 }, a)).toEqual(Array.from({ length: 100 }, b))
  })

  it('reads a seed as its 32 bits: -1 and 2^32-1 are the same seed, other seeds differ', () => {
    expect(seededRandom(-1)()).toBe(seededRandom(2 ** 32 - 1)())
    expect(seededRandom(1)()).not.toBe(seededRandom(2)())
  })

  it('stays in [0, 1)', () => {
    const values = Array.from({ length: 10_000 }, seededRandom(7))
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
  })
})
