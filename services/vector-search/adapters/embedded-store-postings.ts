/**
 * The sparse leg's inverted index, in memory: token → (slot, weight) postings in growable typed
 * arrays. Postings of deleted slots stay until the collection is compacted (the caller skips dead
 * slots); scoring is exact (dot product over shared tokens, Qdrant's), with Qdrant's idf when asked:
 * ln(1 + (N − n + 0.5) / (n + 0.5)), n the live points holding the token.
 */
interface Posting {
  slots: Int32Array
  weights: Float32Array
  length: number
}

export class Postings {
  private readonly byToken = new Map<number, Posting>()

  add(slot: number, indices: ArrayLike<number>, values: ArrayLike<number>): void {
    for (let i = 0; i < indices.length; i++) {
      let posting = this.byToken.get(indices[i]!)
      if (!posting) {
        posting = { slots: new Int32Array(4), weights: new Float32Array(4), length: 0 }
        this.byToken.set(indices[i]!, posting)
      }
      if (posting.length === posting.slots.length) {
        const slots = new Int32Array(posting.length * 2)
        slots.set(posting.slots)
        const weights = new Float32Array(posting.length * 2)
        weights.set(posting.weights)
        posting.slots = slots
        posting.weights = weights
      }
      posting.slots[posting.length] = slot
      posting.weights[posting.length] = values[i]!
      posting.length++
    }
  }

  /**
   * Adds each live slot's dot product with the query into `scores` (f64 scratch, zero on entry for
   * untouched slots) and lists every slot touched once in `touched`.
   */
  score(
    query: { indices: number[]; values: number[] },
    live: Uint8Array,
    idfOver: number | null,
    scores: Float64Array,
    touched: number[],
    seen: Uint8Array,
  ): void {
    for (let q = 0; q < query.indices.length; q++) {
      const posting = this.byToken.get(query.indices[q]!)
      if (!posting) continue
      let weight = query.values[q]!
      if (idfOver !== null) weight *= idf(idfOver, liveCount(posting, live))
      const { slots, weights, length } = posting
      for (let i = 0; i < length; i++) {
        const slot = slots[i]!
        if (live[slot] === 0) continue
        if (seen[slot] === 0) {
          seen[slot] = 1
          touched.push(slot)
        }
        scores[slot]! += weight * weights[i]!
      }
    }
  }
}

function liveCount(posting: Posting, live: Uint8Array): number {
  let n = 0
  for (let i = 0; i < posting.length; i++) n += live[posting.slots[i]!]!
  return n
}

const idf = (total: number, holding: number) => Math.log(1 + (total - holding + 0.5) / (holding + 0.5))
