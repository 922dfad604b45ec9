/**
 * Bounded concurrency for one SSH connection: at most `max` channels open at once (OpenSSH's
 * `MaxSessions` defaults to 10), at most `maxQueued` callers waiting, and anything beyond that is
 * refused at once rather than queued without bound.
 */
export interface Limiter {
  /** Resolves with a release function once a slot is free; rejects when the queue is full or on abort. */
  acquire(signal?: AbortSignal): Promise<() => void>
  readonly active: number
  readonly queued: number
  /** Rejects every waiter (used on close). */
  drain(reason: Error): void
}

interface Waiter {
  grant: (release: () => void) => void
  fail: (err: Error) => void
}

export function createLimiter(max: number, maxQueued: number, onFull: () => Error): Limiter {
  let active = 0
  const waiters: Waiter[] = []

  const release = () => {
    const next = waiters.shift()
    if (next) next.grant(once())
    else active--
  }
  // Each grant gets its own release so a double call cannot free two slots.
  const once = () => {
    let done = false
    return () => {
      if (done) return
      done = true
      release()
    }
  }

  return {
    get active() {
      return active
    },
    get queued() {
      return waiters.length
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (active < max) {
        active++
        return Promise.resolve(once())
      }
      if (waiters.length >= maxQueued) return Promise.reject(onFull())
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const i = waiters.indexOf(waiter)
          if (i >= 0) waiters.splice(i, 1)
          reject(signal!.reason)
        }
        const waiter: Waiter = {
          grant: (r) => {
            signal?.removeEventListener('abort', onAbort)
            resolve(r)
          },
          fail: (err) => {
            signal?.removeEventListener('abort', onAbort)
            reject(err)
          },
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        waiters.push(waiter)
      })
    },
    drain(reason) {
      for (const w of waiters.splice(0)) w.fail(reason)
    },
  }
}
