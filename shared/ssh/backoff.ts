/**
 * Reconnect delays: exponential, capped, with "equal jitter" — half the delay fixed, half random —
 * so a Spark that comes back is retried soon, a dead one costs one attempt per `maxMs`, and the
 * connections of several nodes (or several controller restarts) do not retry in lockstep.
 */
export interface BackoffOptions {
  baseMs: number
  maxMs: number
  /** Injected in tests; Math.random otherwise. */
  random?: () => number
}

/** Delay before attempt number `failures + 1`, given `failures` consecutive failures (≥ 1). */
export function backoffDelay(
  failures: number,
  { baseMs, maxMs, random = Math.random }: BackoffOptions,
): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30)
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
