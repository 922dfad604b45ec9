/**
 * How long a target's health check usually takes: the latest answers, kept in a small ring. The
 * second largest stands in for a high percentile (of 20 samples, about the p95) — one pause of the
 * garbage collector does not count — so "overdue" follows a target that is slow by nature instead
 * of a fixed guess.
 */

/** Answers remembered. */
const SIZE = 20
/** Fewer answers than this say too little to suspect anything on time alone. */
const ENOUGH = 5

export class LatencyProfile {
  private readonly ring = new Float64Array(SIZE)
  private count = 0
  private next = 0

  add(latencyMs: number): void {
    this.ring[this.next] = latencyMs
    this.next = (this.next + 1) % SIZE
    if (this.count < SIZE) this.count++
  }

  /** The second largest recent latency, or null while there are too few answers to judge by. */
  usualHigh(): number | null {
    if (this.count < ENOUGH) return null
    let first = 0
    let second = 0
    for (let i = 0; i < this.count; i++) {
      const v = this.ring[i]!
      if (v > first) {
        second = first
        first = v
      } else if (v > second) second = v
    }
    return second
  }

  /** Forgets: after an outage, the answers before it say nothing about the server that came back. */
  reset(): void {
    this.count = 0
    this.next = 0
  }
}
