import { describe, expect, it } from 'vitest'
import { StoreError } from '../domain/store/ports.ts'
import { batchBytes, sized, splitBatches } from './qdrant-store-batches.ts'

const items = (n: number, bytes: number) =>
  Array.from({ length: n }, (_, i) => ({ i, pad: 'x'.repeat(bytes) }))

describe('splitBatches', () => {
  it('keeps order and cuts at the point count', () => {
    const batches = splitBatches(sized(items(10, 10)), { maxBytes: 1e6, maxPoints: 4 })
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2])
    expect(batches.flat().map((s) => s.item.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('cuts at the byte budget, every request (with its envelope) under it', () => {
    const batches = splitBatches(sized(items(50, 1000)), { maxBytes: 8 * 1024, maxPoints: 256 })
    expect(batches.length).toBeGreaterThan(5)
    for (const b of batches) expect(batchBytes(b)).toBeLessThanOrEqual(8 * 1024)
    expect(batches.flat().length).toBe(50)
  })

  it('refuses one item larger than the budget, and splits nothing for no items', () => {
    expect(() => splitBatches(sized(items(1, 9000)), { maxBytes: 8 * 1024, maxPoints: 256 })).toThrow(
      StoreError,
    )
    expect(splitBatches([], { maxBytes: 1024, maxPoints: 1 })).toEqual([])
  })
})
