/**
 * Counts over a sliding window in one-second buckets: bounded memory however much traffic is
 * reported (a busy gateway sends thousands of outcomes a minute).
 */
export class WindowCounter {
  readonly #counts: number[]
  readonly #seconds: number[]

  constructor(readonly windowS: number) {
    this.#counts = new Array(windowS).fill(0)
    this.#seconds = new Array(windowS).fill(-1)
  }

  add(at: number, n = 1): void {
    const second = Math.floor(at / 1000)
    const slot = second % this.windowS
    if (this.#seconds[slot] !== second) {
      this.#seconds[slot] = second
      this.#counts[slot] = 0
    }
    this.#counts[slot]! += n
  }

  /** The total over the `windowS` seconds up to `now`. */
  total(now: number): number {
    const newest = Math.floor(now / 1000)
    let sum = 0
    for (let i = 0; i < this.windowS; i++) {
      const second = this.#seconds[i]!
      if (second > newest - this.windowS && second <= newest) sum += this.#counts[i]!
    }
    return sum
  }
}
