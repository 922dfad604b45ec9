/**
 * Watching a request's abort signal costs more than proxying a short request: on Node, touching
 * `request.signal` builds an AbortController and an event listener, measured at about 20 µs —
 * a quarter of the gateway's whole cost per request. Most proxied requests are answered within a
 * millisecond and never need it. So each request is only registered here (a Set insert), and the
 * ones still waiting for their answer at the next sweep (every 250 ms) start watching their signal
 * then. Once an answer streams, its body stream's cancel carries the abort instead. A client that
 * left before the sweep is still seen: the signal reports `aborted` when first read.
 */
export interface Watchable {
  /** Start listening to the client's signal (called at most once). */
  watch(): void
}

export interface ClientWatch {
  add(item: Watchable): void
  remove(item: Watchable): void
  close(): void
}

export function createClientWatch(periodMs = 250): ClientWatch {
  const waiting = new Set<Watchable>()
  let timer: ReturnType<typeof setTimeout> | null = null

  const sweep = () => {
    timer = null
    // Copy first: watch() may settle an exchange, which removes it from the set.
    const due = [...waiting]
    waiting.clear()
    for (const item of due) item.watch()
  }

  return {
    add(item) {
      waiting.add(item)
      if (timer !== null) return
      // One timer for all requests, armed only while some are waiting.
      timer = setTimeout(sweep, periodMs)
      ;(timer as { unref?: () => void }).unref?.()
    },
    remove(item) {
      waiting.delete(item)
    },
    close() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      waiting.clear()
    },
  }
}
