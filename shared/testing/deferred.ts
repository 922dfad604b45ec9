/**
 * A promise resolved from outside, for tests: a fake calls `resolve` at the moment the test waits
 * for (a call reached, a phase entered), so the test waits on that event instead of on the clock.
 * Test-only code.
 */
export interface Deferred<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(reason: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * Resolves when `signal` aborts (at once if it already has): a fake upstream that must not answer
 * awaits this with the test's teardown signal or its client's, so it hangs exactly as long as
 * someone still waits for it, whatever timeout the test sets.
 */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}
