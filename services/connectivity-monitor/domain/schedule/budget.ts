/**
 * The total probe budget over every target: a token bucket refilled at `perSecond` tokens a second
 * and holding one second's worth. A steady probe needs a whole token, so a crowd of them can never
 * go past the budget; an urgent one (the burst that confirms or clears an outage) may borrow down
 * to half a second's worth below zero, so it goes first when the budget is tight, and the steady
 * probes wait until the debt is paid back.
 */

const RATE_WINDOW_MS = 10_000

export interface ProbeBudget {
  readonly perSecond: number
  /** Takes one probe's token at `now` if there is one; `urgent` may borrow. */
  take(now: number, urgent: boolean): boolean
  /** Probes granted per second over the last 10 s (over the time since creation when shorter). */
  rate(now: number): number
}

export function createProbeBudget({ perSecond }: { perSecond: number }, now: number): ProbeBudget {
  const capacity = Math.max(1, perSecond)
  const debtLimit = -capacity / 2
  const createdAt = now
  let tokens = capacity
  let filledAt = now
  // Grant times, oldest first; bounded because grants are: at most capacity × 11.5 in 10 s.
  let granted: number[] = []
  let head = 0

  function refill(at: number) {
    if (at <= filledAt) return
    tokens = Math.min(capacity, tokens + ((at - filledAt) / 1000) * capacity)
    filledAt = at
  }

  function forgetBefore(at: number) {
    while (head < granted.length && granted[head]! <= at - RATE_WINDOW_MS) head++
    if (head > 1024 && head * 2 > granted.length) {
      granted = granted.slice(head)
      head = 0
    }
  }

  return {
    perSecond,
    take(at, urgent) {
      refill(at)
      if (tokens - 1 < (urgent ? debtLimit : 0)) return false
      tokens -= 1
      granted.push(at)
      forgetBefore(at)
      return true
    },
    rate(at) {
      forgetBefore(at)
      const windowMs = Math.min(RATE_WINDOW_MS, Math.max(1000, at - createdAt))
      return (granted.length - head) / (windowMs / 1000)
    },
  }
}
