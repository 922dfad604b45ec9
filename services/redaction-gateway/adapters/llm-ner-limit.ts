/**
 * The bound on the local-LLM pass across all `/scrub` calls: at most `concurrency` chat calls at
 * once (the Spark serves chat users too), at most `maxWaiting` more queued; beyond that a pass is
 * refused at once rather than queued without end.
 */
export interface Limiter {
  /** Runs `task` when a slot is free; rejects with `full()` when the queue is full, or when `signal` aborts while queued. */
  run<T>(task: () => Promise<T>, signal: AbortSignal): Promise<T>
  /** Whether `count` more tasks fit in the queue now. */
  fits(count: number): boolean
  /** The most tasks it holds at once, running and waiting. */
  readonly capacity: number
}

export function createLimiter(concurrency: number, maxWaiting: number, full: () => Error): Limiter {
  let running = 0
  const waiting: (() => void)[] = []

  const release = () => {
    running--
    waiting.shift()?.()
  }

  async function acquire(signal: AbortSignal): Promise<void> {
    if (running < concurrency) {
      running++
      return
    }
    if (waiting.length >= maxWaiting) throw full()
    await new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', onAbort)
        running++
        resolve()
      }
      const onAbort = () => {
        const i = waiting.indexOf(start)
        if (i >= 0) waiting.splice(i, 1)
        reject(signal.reason)
      }
      waiting.push(start)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  return {
    async run(task, signal) {
      if (signal.aborted) throw signal.reason
      await acquire(signal)
      try {
        return await task()
      } finally {
        release()
      }
    },
    fits: (count) => running + waiting.length + count <= concurrency + maxWaiting,
    capacity: concurrency + maxWaiting,
  }
}
