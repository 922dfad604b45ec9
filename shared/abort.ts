/** Small abort-aware helpers: every wait ends when the caller's budget (signal or timeout) does. */

/** A combined signal: the caller's abort, or the timeout, whichever comes first. */
export function withBudget(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

export interface SleepOptions {
  /** Ends the wait early: the promise rejects and the timer is cleared. */
  signal?: AbortSignal
  /** What to reject with on abort; the signal's own reason otherwise. */
  reason?: () => unknown
}

/**
 * The one wait of the project: resolves after `ms` (a negative wait is none), or rejects as soon as
 * `signal` aborts. Written here rather than taken from node:timers/promises, whose abort rejects
 * with its own AbortError instead of the caller's reason (a cancelled swap must stay "cancelled").
 * A caller that only wants to wake early ends it with `.catch(() => undefined)`.
 */
export function sleep(
  ms: number,
  { signal, reason = () => signal?.reason }: SleepOptions = {},
): Promise<void> {
  if (signal?.aborted) return Promise.reject(reason())
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t)
      reject(reason())
    }
    const t = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.max(0, ms),
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Waits for `promise` but gives up when `signal` aborts (the promise itself carries on). Without a
 * `reason` it rejects with the signal's own reason.
 */
export function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  reason: () => unknown = () => signal?.reason,
): Promise<T> {
  if (!signal) return promise
  if (signal.aborted) return Promise.reject(reason())
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(reason())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      },
    )
  })
}

/** Timers must not keep a process alive on shutdown (Node); Deno's timers have no unref here. */
export const unref = (t: unknown) => (t as { unref?: () => void }).unref?.()
