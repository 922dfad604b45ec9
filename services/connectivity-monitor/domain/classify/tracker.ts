/**
 * What the classifier remembers of one target's evidence, updated in O(1) per piece: the runs it
 * counts, the latest evidence of each kind (for back-dating), the functional check in flight, and
 * the arrival times that pick the probing mode. It decides nothing; classifier.ts does.
 */
import type { Evidence, EvidenceLayer, Target } from '../ports.ts'
import { calmLayer, countsForMix, evidenceClass, isPortOnly, isSlowSign } from './evidence-kinds.ts'
import { MixWindow } from './mix.ts'
import type { ClassifierPolicy } from './policy.ts'
import { EvidenceRun } from './streaks.ts'

/** Probes in flight remembered at most (a few per layer); older ones were aborted or long answered. */
const UNANSWERED_LIMIT = 16
/** A probe's evidence may carry a send time a little after the engine's `started` call. */
const SEND_SKEW_MS = 50

export class EvidenceTracker {
  /** Failures (hard and soft) with no liveness sent after the first. */
  readonly failures = new EvidenceRun()
  /** Liveness with no failure sent after the first. */
  readonly successes = new EvidenceRun()
  /** Slow signs with no calm answer sent after the first. */
  readonly slowSigns = new EvidenceRun()
  readonly mix: MixWindow
  /** Calm (fast, ok) answers of the health layer in a row, and the first of them. */
  calm = 0
  firstCalm: Evidence | null = null
  lastSlowSign: Evidence | null = null
  /** Latest by send time: any ok, any liveness, any failure. */
  lastOk: Evidence | null = null
  lastAlive: Evidence | null = null
  lastFailure: Evidence | null = null
  /** When the latest liveness answer came back (sent + latency). */
  lastAliveEnd = Number.NEGATIVE_INFINITY
  /** What kept the target alive during the current slow signs (for the busy reason). */
  aliveInTrouble: { passive: number; functional: Evidence | null } = { passive: 0, functional: null }
  /** When the functional check in flight was sent. */
  pendingFunctional: number | null = null
  /** Arrival times: of any evidence, of the last failure or slow answer, of the last passive ok. */
  lastSeen: number
  lastAlarm = Number.NEGATIVE_INFINITY
  lastPassiveOk = Number.NEGATIVE_INFINITY
  /** Probes the engine said it sent (`started`) whose evidence has not arrived, oldest first. */
  private unanswered: Array<{ layer: EvidenceLayer; at: number }> = []
  private readonly portOnly: boolean
  private readonly calmLayer: EvidenceLayer

  constructor(
    target: Target,
    private readonly policy: ClassifierPolicy,
    now: number,
  ) {
    this.portOnly = isPortOnly(target)
    this.calmLayer = calmLayer(target)
    this.mix = new MixWindow(policy.degraded.windowMs)
    this.lastSeen = now
  }

  started(layer: EvidenceLayer, at: number): void {
    if (layer === 'functional') this.pendingFunctional = at
    this.unanswered.push({ layer, at })
    if (this.unanswered.length > UNANSWERED_LIMIT) this.unanswered.shift()
  }

  /** Every arrival counts as seen and ends the probe it answers, even when too late to count. */
  arrived(e: Evidence, now: number): void {
    this.lastSeen = now
    if (e.layer === 'functional' && this.pendingFunctional !== null && e.at >= this.pendingFunctional)
      this.pendingFunctional = null
    // Its own probe: same layer, sent at (nearly) the same moment — never an earlier one still hanging.
    let mine = -1
    this.unanswered.forEach((p, i) => {
      if (p.layer === e.layer && Math.abs(p.at - e.at) <= SEND_SKEW_MS) mine = i
    })
    if (mine !== -1) this.unanswered.splice(mine, 1)
  }

  /**
   * The latest probe sent before `at` that has not answered yet. When a hung target recovers, the
   * probes sent just before are still waiting for their timeout: they are failures not yet known,
   * and dating the recovery from the last known failure alone would make every such outage short.
   */
  unansweredBefore(at: number): number | null {
    let latest: number | null = null
    for (const p of this.unanswered) if (p.at < at && (latest === null || p.at > latest)) latest = p.at
    return latest
  }

  track(e: Evidence, now: number): void {
    const kind = evidenceClass(e)
    if (e.ok) this.trackOk(e, kind === 'alive' || (kind === 'port' && this.portOnly), now)
    else this.trackFailure(e, kind === 'hard', now)
    if (isSlowSign(e)) {
      if (this.slowSigns.count === 0) this.aliveInTrouble = { passive: 0, functional: null }
      this.slowSigns.push(e)
      this.lastSlowSign = e
      this.lastAlarm = now
    }
    if (e.layer === this.calmLayer) this.trackCalm(e)
    if (countsForMix(e)) this.mix.add(e, now)
  }

  private trackOk(e: Evidence, alive: boolean, now: number) {
    if (!this.lastOk || e.at >= this.lastOk.at) this.lastOk = e
    if (!alive) return
    if (!this.lastAlive || e.at >= this.lastAlive.at) this.lastAlive = e
    this.lastAliveEnd = Math.max(this.lastAliveEnd, e.at + e.latencyMs)
    if (this.failures.startedBefore(e)) this.failures.clear()
    // Sent before the latest failure, it says the target was alive then, not that it is back.
    if (!this.lastFailure || e.at > this.lastFailure.at) this.successes.push(e)
    if (e.layer === 'passive') this.lastPassiveOk = now
    if (this.slowSigns.startedBefore(e)) {
      if (e.layer === 'passive') this.aliveInTrouble.passive++
      if (e.layer === 'functional') this.aliveInTrouble.functional = e
    }
  }

  private trackFailure(e: Evidence, hard: boolean, now: number) {
    if (!this.lastFailure || e.at >= this.lastFailure.at) this.lastFailure = e
    this.failures.push(e, hard)
    if (this.successes.startedBefore(e)) this.successes.clear()
    this.lastAlarm = now
  }

  private trackCalm(e: Evidence) {
    if (!e.ok || e.slow) {
      this.calm = 0
      this.firstCalm = null
      return
    }
    if (this.calm === 0) this.firstCalm = e
    this.calm++
    if (this.slowSigns.startedBefore(e)) this.slowSigns.clear()
  }

  /** A functional check sent within the grace is still out: its answer may show the target alive. */
  pending(now: number): boolean {
    return this.pendingFunctional !== null && now - this.pendingFunctional < this.policy.pendingGraceMs
  }

  /** Slow signs, but liveness sent since they began and recent: a busy target, not a dead one. */
  shielded(now: number): boolean {
    const first = this.slowSigns.first
    return (
      first !== null &&
      this.lastAlive !== null &&
      this.lastAlive.at >= first.at &&
      this.lastAliveEnd >= now - this.policy.livenessWindowMs
    )
  }

  /** After staleness or maintenance, counting starts again from the next evidence. */
  forget(): void {
    for (const run of [this.failures, this.successes, this.slowSigns]) run.clear()
    this.mix.reset()
    this.calm = 0
    this.firstCalm = null
    this.pendingFunctional = null
    this.lastAlarm = Number.NEGATIVE_INFINITY
  }
}
