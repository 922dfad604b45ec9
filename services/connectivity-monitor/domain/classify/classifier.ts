/**
 * One target's state from its evidence (probes and real traffic), with hysteresis, back-dated so
 * outage durations are right to a second. Pure: time comes in as `now`. The rules, each tested in
 * classifier.test.ts (evidence classes: evidence-kinds.ts; N = MONITOR_DOWN_AFTER,
 * M = MONITOR_UP_AFTER):
 *
 * | from                 | to          | when                                                                 |
 * | -------------------- | ----------- | -------------------------------------------------------------------- |
 * | unknown              | up (busy)   | one liveness (a TCP/SSH ok for a port-only target)                   |
 * | not down             | down (hard) | N hard failures with no liveness sent after the first, sent ≥ MONITOR_CONFIRM_MS apart (a service: not in its start-up grace) |
 * | not down             | down (app)  | N failures with no liveness sent after the first, sent ≥ MONITOR_CONFIRM_MS apart, no functional check sent < 3 s ago still out, and not shielded (below) |
 * | up                   | busy        | N slow signs (health slow or timing out) and liveness sent since the first, within 10 s |
 * | busy                 | up          | M calm (fast) health answers in a row                                |
 * | up, busy             | degraded    | in 30 s: ≥ 3 app failures, ≥ 30 % of app answers failing, some succeeding |
 * | degraded             | up (busy)   | 10 app answers in a row without a failure                            |
 * | down                 | up (busy)   | M liveness in a row                                                  |
 * | any                  | unknown     | no evidence for MONITOR_STALE_AFTER_MS (tick)                        |
 * | any                  | maintenance | setMaintenance(reason); evidence is kept but decides nothing          |
 * | maintenance          | unknown     | setMaintenance(null); counting starts again                           |
 *
 * Shielded: slow signs with liveness sent since they began and still recent — a GPU-busy target
 * whose health times out while its real requests (or the functional check) succeed never goes
 * down from soft failures; a hard failure (refused, reset) still takes it down. Evidence sent
 * before the current state began never changes it (late batches, a health probe sent before a
 * recovery that times out after it). A change is dated by backdate.ts; `decidedAt` is `now`.
 */
import type { Evidence, EvidenceLayer, Target, TargetClassifier, TargetState, Transition } from '../ports.ts'
import { backdate } from './backdate.ts'
import type { ClassifierPolicy } from './policy.ts'
import {
  busyReason,
  calmReason,
  clearedReason,
  degradedReason,
  downReason,
  MAINTENANCE_ENDED,
  maintenanceReason,
  staleReason,
  upReason,
} from './reasons.ts'
import { deciding } from './streaks.ts'
import { EvidenceTracker } from './tracker.ts'

const latest = (...times: Array<number | null | undefined>): number | null =>
  times.reduce<number | null>((max, t) => (t != null && (max === null || t > max) ? t : max), null)

export function createClassifier(target: Target, policy: ClassifierPolicy, now: number): TargetClassifier {
  const seen = new EvidenceTracker(target, policy, now)
  const interval = (layer: EvidenceLayer) => policy.intervalMs[layer]
  let state: TargetState = 'unknown'
  let since = now
  const startingUntil = target.kind === 'service' ? now + policy.startupGraceMs : Number.NEGATIVE_INFINITY

  function change(to: TargetState, at: number, decidedAt: number, reason: string, evidence: Evidence[]) {
    const begun = Math.min(Math.max(at, since), decidedAt)
    const transition: Transition = {
      target: target.id,
      from: state,
      to,
      at: begun,
      decidedAt,
      reason,
      evidence,
    }
    // Failures of a down spell say nothing about a mix once it is over (or before it began):
    // counted on, they made a degraded spell right after every recovery.
    if (to === 'down' || state === 'down') seen.mix.reset()
    state = to
    since = begun
    return transition
  }

  const busyNow = (at: number) => seen.slowSigns.count >= policy.downAfter && seen.shielded(at)
  const aliveState = (at: number): TargetState => (busyNow(at) ? 'busy' : 'up')

  function down(at: number): Transition | null {
    const run = seen.failures
    if (run.count < policy.downAfter || run.spanMs() < policy.confirmSpanMs) return null
    const hard = run.hard >= policy.downAfter
    if (!hard && (seen.pending(at) || seen.shielded(at))) return null
    const starting = state === 'unknown' ? startingUntil : Number.NEGATIVE_INFINITY
    if (at < starting) return null
    const first = run.first!
    // A port answer bounds when the port closed; only liveness bounds when the app stopped.
    const before = hard ? seen.lastOk : seen.lastAlive
    const begun = Math.max(backdate(before?.at ?? null, first.at, interval(first.layer)), starting)
    const sample = run.sample()
    return change('down', begun, at, downReason(sample, hard), deciding(before, sample))
  }

  function recovered(at: number, needed: number): Transition | null {
    const run = seen.successes
    if (run.count < needed) return null
    const first = run.first!
    // A probe sent before the first success and still unanswered is a failure not known yet.
    const lastFailed = latest(seen.lastFailure?.at, seen.unansweredBefore(first.at))
    const begun = backdate(lastFailed, first.at, interval(first.layer))
    const sample = run.sample()
    return change(aliveState(at), begun, at, upReason(sample), deciding(seen.lastFailure, sample))
  }

  function mixed(at: number): Transition | null {
    const { mix } = seen
    const counts = mix.counts(at)
    const { minFailures, minShare, clearAfter } = policy.degraded
    if (state !== 'degraded') {
      const failing = counts.failed >= minFailures && counts.failed >= minShare * (counts.ok + counts.failed)
      if (!failing || counts.ok === 0 || mix.clean >= clearAfter) return null
      const failures = mix.recentFailures(at)
      return change(
        'degraded',
        failures[0]?.at ?? at,
        at,
        degradedReason(failures, counts),
        deciding(failures),
      )
    }
    if (mix.clean < clearAfter) return null
    const first = mix.firstClean!
    const begun = backdate(mix.lastFailure?.at ?? null, first.at, interval(first.layer))
    return change(aliveState(at), begun, at, clearedReason(mix.clean), deciding(mix.lastFailure, first))
  }

  function busy(at: number): Transition | null {
    if (state === 'busy') {
      if (seen.slowSigns.count > 0 || seen.calm < policy.upAfter) return null
      const first = seen.firstCalm!
      const begun = backdate(seen.lastSlowSign?.at ?? null, first.at, interval(first.layer))
      return change('up', begun, at, calmReason(seen.calm), deciding(seen.lastSlowSign, first))
    }
    if (!busyNow(at)) return null
    const signs = seen.slowSigns.sample()
    const reason = busyReason(signs, seen.aliveInTrouble)
    return change('busy', seen.slowSigns.first!.at, at, reason, deciding(signs, seen.lastAlive))
  }

  function decide(at: number): Transition | null {
    switch (state) {
      case 'maintenance':
        return null
      case 'down':
        return recovered(at, policy.upAfter)
      case 'unknown':
        return down(at) ?? recovered(at, 1)
      case 'degraded':
        return down(at) ?? mixed(at)
      default:
        return down(at) ?? mixed(at) ?? busy(at)
    }
  }

  return {
    get state() {
      return state
    },
    get since() {
      return since
    },
    started: (layer, at) => seen.started(layer, at),
    observe(evidence, at) {
      seen.arrived(evidence, at)
      if (evidence.at < since) return null
      seen.track(evidence, at)
      return decide(at)
    },
    tick(at) {
      if (state === 'maintenance') return null
      const quietFor = at - seen.lastSeen
      if (state !== 'unknown' && quietFor >= policy.staleAfterMs) {
        seen.forget()
        return change('unknown', seen.lastSeen, at, staleReason(quietFor), [])
      }
      return decide(at)
    },
    setMaintenance(reason, at) {
      if (reason !== null)
        return state === 'maintenance' ? null : change('maintenance', at, at, maintenanceReason(reason), [])
      if (state !== 'maintenance') return null
      seen.forget()
      return change('unknown', at, at, MAINTENANCE_ENDED, [])
    },
    probing(at) {
      if (state === 'maintenance') return 'steady'
      if (state === 'down' || seen.failures.count > 0) return 'fast'
      // Up again with nothing failing or slow: the recovery is settled, a burst would only cost
      // (after each outage it was 5 s of probes every 250 ms, most of a busy run's budget).
      const settled = state === 'up' && seen.slowSigns.count === 0
      if (!settled && at - seen.lastAlarm < policy.recentMs) return 'fast'
      return at - seen.lastPassiveOk < policy.recentMs ? 'quiet' : 'steady'
    },
  }
}
