/**
 * One event-stream client's queue: the engine pushes without ever waiting, the client's writer
 * takes. It is bounded, and a client that falls that far behind is dropped (the queue closes and
 * says it overflowed) rather than slowing the engine or holding memory; it reconnects and starts
 * again from the current states. `take` waits for an event, `idleMs` (a heartbeat is due) or the end.
 */
export type Next<T> = { kind: 'item'; item: T } | { kind: 'idle' } | { kind: 'closed' }

export class SubscriberQueue<T> {
  readonly #items: T[] = []
  #wake: (() => void) | null = null
  #closed = false
  #overflowed = false

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.#closed) return
    if (this.#items.length >= this.capacity) {
      this.#overflowed = true
      this.close()
      return
    }
    this.#items.push(item)
    this.#wake?.()
  }

  close(): void {
    this.#closed = true
    this.#wake?.()
  }

  get overflowed(): boolean {
    return this.#overflowed
  }

  async take(idleMs: number): Promise<Next<T>> {
    if (this.#items.length === 0 && !this.#closed) await this.#wait(idleMs)
    if (this.#closed) return { kind: 'closed' }
    const item = this.#items.shift()
    return item === undefined ? { kind: 'idle' } : { kind: 'item', item }
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.#wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.#wake = done
    })
  }
}
