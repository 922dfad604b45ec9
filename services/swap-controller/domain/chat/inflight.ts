/**
 * In-flight generations, counted so a swap can wait for them before it stops the model they run
 * on. The wait is bounded: a generation that outlives it is cut when vLLM stops, and its client
 * gets the one SSE `error` event (or a closed connection in JSON mode).
 */
export interface Inflight {
  /** Counts one generation; the returned function (idempotent) ends it. */
  acquire(): () => void
  readonly count: number
  /** Resolves when none is in flight, after `timeoutMs`, or when `signal` aborts — whichever first. */
  drain(timeoutMs: number, signal?: AbortSignal): Promise<{ drained: boolean; left: number }>
}

export function createInflight(): Inflight {
  let count = 0
  const waiters = new Set<() => void>()
  const settle = () => {
    if (count > 0) return
    for (const w of [...waiters]) w()
  }
  return {
    get count() {
      return count
    },
    acquire() {
      count += 1
      let released = false
      return () => {
        if (released) return
        released = true
        count -= 1
        settle()
      }
    },
    drain(timeoutMs, signal) {
      if (count === 0 || signal?.aborted) return Promise.resolve({ drained: count === 0, left: count })
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer)
          waiters.delete(done)
          signal?.removeEventListener('abort', done)
          resolve({ drained: count === 0, left: count })
        }
        const timer = setTimeout(done, timeoutMs)
        waiters.add(done)
        signal?.addEventListener('abort', done, { once: true })
      })
    },
  }
}
