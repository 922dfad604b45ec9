/**
 * A queue between a producer that must never block (the log tail, the poller) and one slow
 * consumer (an SSE client): bounded, dropping the oldest entries when full and counting them so
 * the consumer can say lines were skipped. `take` waits for an item, a timeout (heartbeats) or the
 * end of the stream.
 */
export type Taken<T> = { kind: 'item'; item: T; dropped: number } | { kind: 'idle' } | { kind: 'closed' }

export class BoundedQueue<T> {
  readonly #items: T[] = []
  #dropped = 0
  #wake: (() => void) | null = null
  #closed = false

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.#closed) return
    this.#items.push(item)
    if (this.#items.length > this.capacity) {
      this.#items.shift()
      this.#dropped++
    }
    this.#notify()
  }

  close(): void {
    this.#closed = true
    this.#notify()
  }

  get closed(): boolean {
    return this.#closed
  }

  /** The next item (with how many were dropped before it), `idle` after `idleMs`, or `closed`. */
  async take(idleMs: number): Promise<Taken<T>> {
    if (this.#items.length === 0 && !this.#closed) await this.#wait(idleMs)
    if (this.#closed) return { kind: 'closed' }
    const item = this.#items.shift()
    if (item === undefined) return { kind: 'idle' }
    const dropped = this.#dropped
    this.#dropped = 0
    return { kind: 'item', item, dropped }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null
        resolve()
      }, ms)
      this.#wake = () => {
        clearTimeout(timer)
        this.#wake = null
        resolve()
      }
    })
  }

  #notify() {
    this.#wake?.()
  }
}
