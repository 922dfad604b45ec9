/**
 * Busy is not down. Kokoro and the Parakeet wrappers run inference on the same event loop that
 * answers `/health`, so while our own request is in the model a health check can take seconds.
 * Calling that "down" made the earlier dashboard flap and clients give up on a working GPU.
 *
 * So one upstream's health is judged over time, not from one probe:
 * - a healthy answer is `up`;
 * - a slow or failed probe while our own requests to it were running is `busy`;
 * - the same with nothing of ours running is `degraded` until it happens `downAfter` times in a
 *   row, then `down` (a busy reading in between neither counts nor breaks the run);
 * - a refused connection or an error status is `down` at once, even under load: those are answers;
 * - a real request that hit a GPU fault (a deeper probe than `/health`, which a wedged process
 *   still answers) is `down` for the wedge's Retry-After, unless a request succeeds sooner.
 */
import type { Assessment, ProbeOutcome } from '../../../shared/upstream-health.ts'

export type UpstreamState = 'up' | 'busy' | 'degraded' | 'down'

export interface UpstreamHealth {
  state: UpstreamState
  /** Plain words for the dashboard: what was seen, and why it reads as this state. */
  why: string
  /** Slow or failed probes in a row with nothing of ours running. */
  misses: number
}

export interface HealthJudge {
  /** Judges one probe; `ourRequestsRan` says whether ours were running at some moment during it. */
  probed(outcome: ProbeOutcome, ourRequestsRan: boolean): UpstreamHealth
  /** A real request of ours failed with a GPU fault. */
  faulted(why: string): void
  /** A real request of ours succeeded: the model works, whatever an earlier fault said. */
  served(): void
  current(): UpstreamHealth
}

export interface JudgeOptions {
  /** Misses in a row before a quiet upstream is called down. */
  downAfter: number
  /** How long a GPU fault keeps the upstream down, in ms. */
  faultHoldMs: number
  now?: () => number
}

export function createHealthJudge({ downAfter, faultHoldMs, now = Date.now }: JudgeOptions): HealthJudge {
  let misses = 0
  let fault: { why: string; at: number } | null = null
  let last: UpstreamHealth = { state: 'degraded', why: 'not checked yet', misses: 0 }

  const judge = (outcome: ProbeOutcome, ourRequestsRan: boolean): UpstreamHealth => {
    if (fault && now() - fault.at < faultHoldMs) return { state: 'down', why: fault.why, misses }
    fault = null
    switch (outcome.kind) {
      case 'ok':
        misses = 0
        return { state: 'up', why: 'health check answered', misses }
      case 'unreachable':
      case 'bad_status':
        misses++
        return { state: 'down', why: outcome.detail, misses }
      case 'timeout':
      case 'failed':
        if (ourRequestsRan)
          return {
            state: 'busy',
            why: `busy: health check slow (${outcome.detail}) while our requests are running`,
            misses,
          }
        misses++
        if (misses >= downAfter)
          return {
            state: 'down',
            why: `${outcome.detail}, ${misses} checks in a row with nothing of ours running`,
            misses,
          }
        return {
          state: 'degraded',
          why: `health check slow (${outcome.detail}); ${misses} of ${downAfter} misses before it is called down`,
          misses,
        }
    }
  }

  return {
    probed(outcome, ourRequestsRan) {
      last = judge(outcome, ourRequestsRan)
      return last
    },
    faulted(why) {
      fault = { why: `a request hit a GPU fault: ${why}`, at: now() }
      last = { state: 'down', why: fault.why, misses }
    },
    served() {
      fault = null
      misses = 0
      if (last.state !== 'up') last = { state: 'up', why: 'our last request to it succeeded', misses }
    },
    current: () => last,
  }
}

/**
 * The readiness contract has no `degraded`: an upstream not yet called down is reported `busy`
 * there (answering slowly, not known to be off), with the words that say which it is.
 */
export function readinessAssessment(health: UpstreamHealth): Assessment {
  if (health.state === 'up') return { state: 'up' }
  return { state: health.state === 'degraded' ? 'busy' : health.state, detail: health.why }
}
