/**
 * Retry delays: exponential, capped, with "equal jitter" — half the delay fixed, half random — so
 * a peer that comes back is retried soon, a dead one costs one attempt per `maxMs`, and many
 * clients (SSH connections to several nodes, webhook deliveries, controller restarts) never retry
 * in lockstep. The SSH reconnects, the log tails and the webhook sender all wait this long.
 */
export interface BackoffOptions {
  /** Delay after the first failure; doubles after each further one. */
  baseMs: number
  maxMs: number
  /** A number in [0, 1); injected in tests, Math.random otherwise. */
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
