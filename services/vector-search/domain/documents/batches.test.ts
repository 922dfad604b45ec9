import { describe, expect, it } from 'vitest'
import { batchesOf, pointBytes } from './batches.ts'

describe('batchesOf', () => {
  it('splits by count and by bytes, keeping order, and sends an oversize item alone', () => {
    const sizes = [4, 4, 4, 9, 20, 1, 1, 1, 1]
    const batches = batchesOf(sizes, { maxCount: 3, maxBytes: 10 }, (n) => n)
    expect(batches).toEqual([[4, 4], [4], [9], [20], [1, 1, 1], [1]])
    expect(batches.flat()).toEqual(sizes)
  })

  it('estimates a point of 1024 floats above its JSON size, so a batch never outgrows the limit', () => {
    const point = {
      id: '06982dfc-5fb4-5d65-a5b7-144f0e7d88ce',
      dense: Array.from({ length: 1024 }, (_, i) => -Math.sin(i) / 3),
      sparse: { indices: [1, 50_000, 250_001], values: [0.123456789, 0.2, 0.3] },
      payload: { text: 'é'.repeat(100), doc_id: 'd' },
    }
    expect(pointBytes(point)).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(point)))
  })
})
