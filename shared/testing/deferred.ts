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
