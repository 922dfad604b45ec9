/**
 * Watching a health check for a hang. Each steady health check gets one timer: when the check is
 * overdue — past `factor` × the target's usual latency (latency-profile.ts), never under
 * `floorMs` — a hang is suspected, and a second check goes on a fresh connection with twice that
 * wait. If that one is not answered either, the first counts as failed at that moment: two checks,
 * sent apart, each unanswered many times longer than the target ever takes. That is the "two
 * failures" down always needs, after three times the wait instead of two full timeouts. (With the
 * same wait for both, a server process stalled for 600 ms on a loaded machine read as a hang.)
 *
 * It is still only evidence: a target whose real traffic or functional check succeeds meanwhile
 * is busy, never down (the classifier's shield), and a later answer to the first check is still
 * told. Without a latency profile yet (fewer than a few answers), the check out `httpOverdueMs`
 * gets a second one beside it with the usual timeout, as before.
 */
import type { Evidence, ProbeOptions } from '../ports.ts'
import type { LayerLoop, TargetRuntime } from './runtime.ts'

/** The check on a fresh connection waits this many times the suspicion's wait. */
const SECOND_WAIT = 2

export interface HangSuspicion {
  floorMs: number
  factor: number
  /** The health timeout: a suspicion at or past it would say nothing the timeout does not. */
  timeoutMs: number
}

/** One steady health check under watch. */
export interface WatchedProbe {
  at: number
  /** Not answered yet, nor counted as failed. */
  out: boolean
  timer: ReturnType<typeof setTimeout> | null
  /** The usual latency it was judged against, for the evidence's detail. */
  usualMs: number | null
}

export interface HangWatchDeps {
  suspicion?: HangSuspicion
  httpOverdueMs?: number
  clock: { now(): number }
  /** Sends the second check; `suspect` is the overdue one on a hang suspicion (null: the plain overdue probe). */
  second(rt: TargetRuntime, loop: LayerLoop, options: ProbeOptions, suspect: WatchedProbe | null): boolean
}

export function hangWatch(deps: HangWatchDeps) {
  function suspectAfter(rt: TargetRuntime): { waitMs: number; usualMs: number } | null {
    const { suspicion } = deps
    const usualMs = suspicion ? rt.healthLatency.usualHigh() : null
    if (!suspicion || usualMs === null) return null
    const waitMs = Math.max(suspicion.floorMs, suspicion.factor * usualMs)
    return SECOND_WAIT * waitMs < suspicion.timeoutMs ? { waitMs, usualMs } : null
  }

  return {
    watch(rt: TargetRuntime, loop: LayerLoop, now: number): WatchedProbe {
      const suspect = suspectAfter(rt)
      const probe: WatchedProbe = { at: now, out: true, timer: null, usualMs: suspect?.usualMs ?? null }
      const after = suspect?.waitMs ?? deps.httpOverdueMs
      if (after === undefined) return probe
      probe.timer = setTimeout(() => {
        probe.timer = null
        if (!probe.out) return
        if (suspect) deps.second(rt, loop, { fresh: true, timeoutMs: SECOND_WAIT * suspect.waitMs }, probe)
        else deps.second(rt, loop, {}, null)
      }, after)
      return probe
    },

    /** The watched check's own answer; a settled, up target's fast answers teach its usual latency. */
    answered(rt: TargetRuntime, probe: WatchedProbe, evidence: Evidence): void {
      if (probe.timer) clearTimeout(probe.timer)
      probe.timer = null
      probe.out = false
      if (evidence.ok && !evidence.slow && rt.classifier.state === 'up' && rt.mode !== 'fast')
        rt.healthLatency.add(evidence.latencyMs)
    },

    /**
     * The second check on a suspicion answered: if it timed out too while the first is still out,
     * the first's failure (returned, to be told before the second's) — otherwise null.
     */
    confirmed(rt: TargetRuntime, probe: WatchedProbe, second: Evidence): Evidence | null {
      if (!probe.out || second.ok || second.kind !== 'timeout') return null
      probe.out = false
      const waited = Math.round(deps.clock.now() - probe.at)
      const usual =
        probe.usualMs === null ? '' : ` (it usually answers within ${Math.ceil(probe.usualMs)} ms)`
      return {
        target: rt.target.id,
        layer: 'http',
        at: probe.at,
        ok: false,
        kind: 'timeout',
        latencyMs: waited,
        detail: `no answer within ${waited} ms${usual}, nor on a fresh connection`,
        source: 'probe',
      }
    },
  }
}
