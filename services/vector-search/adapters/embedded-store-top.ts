/**
 * The best `k` of many scored slots without sorting them all: a bounded min-heap on the score
 * (ties: the later id loses, matching the final order). The sparse leg of a common token touches
 * most of a collection, and sorting 100,000 scores would cost more than the whole query budget.
 */
import { byScoreThenId, type LegHit } from '../domain/store/fusion.ts'

/** Whether `a` ranks below `b` (worse score, or equal score and a larger id). */
const worse = (a: LegHit, b: LegHit) => a.score < b.score || (a.score === b.score && a.id > b.id)

export class TopK {
  private readonly heap: LegHit[] = []

  constructor(private readonly k: number) {}

  offer(hit: LegHit): void {
    const heap = this.heap
    if (heap.length < this.k) {
      heap.push(hit)
      this.up(heap.length - 1)
    } else if (this.k > 0 && worse(heap[0]!, hit)) {
      heap[0] = hit
      this.down(0)
    }
  }

  /** Whether a hit of this score could still enter (lets a caller skip building the hit). */
  admits(score: number): boolean {
    return this.heap.length < this.k || score >= this.heap[0]!.score
  }

  /** Best first. */
  sorted(): LegHit[] {
    return this.heap.slice().sort(byScoreThenId)
  }

  private up(i: number): void {
    const heap = this.heap
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!worse(heap[i]!, heap[parent]!)) return
      ;[heap[i], heap[parent]] = [heap[parent]!, heap[i]!]
      i = parent
    }
  }

  private down(i: number): void {
    const heap = this.heap
    for (;;) {
      const left = 2 * i + 1
      const right = left + 1
      let least = i
      if (left < heap.length && worse(heap[left]!, heap[least]!)) least = left
      if (right < heap.length && worse(heap[right]!, heap[least]!)) least = right
      if (least === i) return
      ;[heap[i], heap[least]] = [heap[least]!, heap[i]!]
      i = least
    }
  }
}
