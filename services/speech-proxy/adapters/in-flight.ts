/**
 * Counts our own requests to one upstream, so a slow health check can be told apart from an outage
 * (see domain/health-state.ts). Only real work is tracked — transcriptions, synthesis — never
 * probes or list lookups, which would otherwise excuse their own slowness.
 */
export interface InFlight {
  /** Requests running now. */
  active(): number
  /** Whether one of ours was running at any moment since `since` (a `performance.now()` time). */
  ranSince(since: number): boolean
  /** Runs `work` as one tracked request. */
  track<T>(work: () => Promise<T>): Promise<T>
}

export function createInFlight(now: () => number = () => performance.now()): InFlight {
  let active = 0
  let lastEndedAt = Number.NEGATIVE_INFINITY
  return {
    active: () => active,
    ranSince: (since) => active > 0 || lastEndedAt >= since,
    async track(work) {
      active++
      try {
        return await work()
      } finally {
        active--
        lastEndedAt = now()
      }
    },
  }
}
