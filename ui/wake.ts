/**
 * "Something changed, look again now": a click that starts, cancels or releases something wakes
 * every open overview feed from its pause, so the page shows the result at once instead of at the
 * next tick (the click's own answer leaves those regions to the feed, which keeps them consistent).
 */
export class Wake {
  readonly waiting = new Set<() => void>()
  /** Counts notifications, so a feed busy reading when one came does not sleep through it. */
  generation = 0

  notify(): void {
    this.generation++
    for (const wake of [...this.waiting]) wake()
  }
}

/**
 * Sleeps `ms`, but wakes at once when `signal` aborts or `wake` is notified (or was, since its
 * `generation` was `seen`); no timer outlives it.
 */
export function pause(ms: number, signal: AbortSignal, wake?: Wake, seen?: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || (wake && seen !== undefined && wake.generation !== seen)) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      wake?.waiting.delete(done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    wake?.waiting.add(done)
  })
}
