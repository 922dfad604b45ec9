/**
 * Fan-out of swap events to SSE clients. Bounded: a subscriber beyond the limit is refused (503 at
 * the route) rather than letting a browser tab leak listeners, and a slow client never blocks the
 * engine (listeners only enqueue).
 */
export interface SwapEvent {
  type: 'state' | 'progress'
  data: unknown
}

export type SwapEventListener = (event: SwapEvent) => void

export class SwapEvents {
  readonly #listeners = new Set<SwapEventListener>()
  readonly #closers = new Set<() => void>()
  #closed = false

  constructor(readonly maxSubscribers: number) {}

  get size(): number {
    return this.#listeners.size
  }

  /** Returns the unsubscribe function, or null when full or closed. `onClose` runs on shutdown. */
  subscribe(listener: SwapEventListener, onClose: () => void = () => undefined): (() => void) | null {
    if (this.#closed || this.#listeners.size >= this.maxSubscribers) return null
    this.#listeners.add(listener)
    this.#closers.add(onClose)
    return () => {
      this.#listeners.delete(listener)
      this.#closers.delete(onClose)
    }
  }

  publish(type: SwapEvent['type'], data: unknown): void {
    for (const l of [...this.#listeners]) {
      try {
        l({ type, data })
      } catch {
        // A broken subscriber must not break the swap; it is dropped.
        this.#listeners.delete(l)
      }
    }
  }

  close(): void {
    this.#closed = true
    for (const c of [...this.#closers]) c()
    this.#listeners.clear()
    this.#closers.clear()
  }
}
