/**
 * The total probe budget over every target: a token bucket refilled at `perS` tokens a second and
 * holding one second's worth. Ordinary probes leave a reserve in the bucket for urgent ones (the
 * bursts after a failure, the functional check a slow health answer calls for), so a crowd of
 * steady probes never delays the checks that confirm or clear an outage.
 */
export interface ProbeBudget {
  readonly perS: number
  /** One probe's token, if there is one now; `urgent` may dip into the reserve. */
  take(now: number, urgent: boolean): boolean
}

export function createProbeBudget(perS: number, reserveShare = 0.25): ProbeBudget {
  const capacity = Math.max(1, perS)
  const reserve = capacity * reserveShare
  let tokens = capacity
  let filledAt: number | null = null
  return {
    perS,
    take(now, urgent) {
      if (filledAt !== null) tokens = Math.min(capacity, tokens + ((now - filledAt) / 1000) * perS)
      filledAt = now
      const floor = urgent ? 0 : reserve
      if (tokens - 1 < floor) return false
      tokens -= 1
      return true
    },
  }
}
