/**
 * The monitor benchmark's outages and how they are scored. The plan is drawn from a seed
 * (`shared/random.ts`), so a run can be replayed: per target, outages of 1–5 s (most `stopped`,
 * some `hang`) separated by gaps long enough for the monitor to have called the target up again.
 * Scoring matches each injected outage (its true span, measured when it was injected) with what a
 * detector said: an outage record that overlaps it, and the first `down` decision after it began.
 */
import { seededRandom } from '../shared/random.ts'

export type FaultKind = 'stopped' | 'hang'

export interface PlannedOutage {
  target: string
  /** Offset from the run's start, ms. */
  offsetMs: number
  durationMs: number
  kind: FaultKind
}

export interface PlanOptions {
  targets: string[]
  runMs: number
  seed: number
  minMs: number
  maxMs: number
  /** Share of outages that hang rather than refuse. */
  hangShare: number
  /** Quiet time before the first outage and between two, drawn in this range. */
  gapMs: [number, number]
}

/** Each target's outages, in order, all ending before `runMs`. */
export function planOutages(o: PlanOptions): PlannedOutage[] {
  const random = seededRandom(o.seed)
  const between = (lo: number, hi: number) => lo + random() * (hi - lo)
  const plan: PlannedOutage[] = []
  for (const target of o.targets) {
    let t = between(0, o.gapMs[1])
    for (;;) {
      const durationMs = Math.round(between(o.minMs, o.maxMs))
      if (t + durationMs > o.runMs) break
      const kind: FaultKind = random() < o.hangShare ? 'hang' : 'stopped'
      plan.push({ target, offsetMs: Math.round(t), durationMs, kind })
      t += durationMs + between(o.gapMs[0], o.gapMs[1])
    }
  }
  return plan.sort((a, b) => a.offsetMs - b.offsetMs)
}

/** An outage as it really happened: wall-clock ms from the moments the fault began and ended. */
export interface InjectedOutage extends PlannedOutage {
  startedAt: number
  endedAt: number
  withTraffic: boolean
}

/** What a detector recorded: a span (ended or not) and when it decided the target was down. */
export interface DetectedSpan {
  target: string
  startedAt: number
  endedAt: number | null
}

export interface Decision {
  target: string
  /** When the decision reached the bench (receive time of the SSE event, or the poll's answer). */
  at: number
}

export interface Scored {
  outage: InjectedOutage
  caught: boolean
  /** Decision time minus the true start; null when no decision fell in the outage. */
  detectionMs: number | null
  /** Recorded duration minus the true one; null when not caught or the record has no end. */
  durationErrorMs: number | null
}

/** How long after an outage ends a late decision is still credited to it (the last probe's timeout). */
const LATE_MS = 2000

export function score(
  injected: InjectedOutage[],
  spans: DetectedSpan[],
  decisions: Decision[],
  now: number,
): Scored[] {
  return injected.map((outage) => {
    // The record that shares the most time with it: a record of zero length at the recovery (a
    // state flicker after the outage) overlaps nothing and catches nothing.
    const overlapOf = (s: DetectedSpan) =>
      Math.min(s.endedAt ?? now, outage.endedAt) - Math.max(s.startedAt, outage.startedAt)
    const span = spans
      .filter((s) => s.target === outage.target && overlapOf(s) > 0)
      .sort((a, b) => overlapOf(b) - overlapOf(a))[0]
    const decision = decisions.find(
      (d) => d.target === outage.target && d.at >= outage.startedAt && d.at <= outage.endedAt + LATE_MS,
    )
    const caught = span !== undefined
    return {
      outage,
      caught,
      detectionMs: decision ? decision.at - outage.startedAt : null,
      durationErrorMs:
        caught && span!.endedAt !== null
          ? span!.endedAt - span!.startedAt - (outage.endedAt - outage.startedAt)
          : null,
    }
  })
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export interface Summary {
  outages: number
  caught: number
  caughtShare: number
  detectionP50Ms: number
  detectionP95Ms: number
  /** Caught outages for which no down decision fell inside them. */
  undecided: number
  durationErrorP50Ms: number
  durationErrorP95Ms: number
  durationErrorMaxMs: number
}

/** Figures over a subset of scored outages; duration errors are absolute. */
export function summarize(scored: Scored[]): Summary {
  const caught = scored.filter((s) => s.caught)
  const detection = caught.flatMap((s) => (s.detectionMs === null ? [] : [s.detectionMs]))
  const errors = caught.flatMap((s) => (s.durationErrorMs === null ? [] : [Math.abs(s.durationErrorMs)]))
  return {
    outages: scored.length,
    caught: caught.length,
    caughtShare: scored.length ? caught.length / scored.length : Number.NaN,
    detectionP50Ms: percentile(detection, 0.5),
    detectionP95Ms: percentile(detection, 0.95),
    undecided: caught.length - detection.length,
    durationErrorP50Ms: percentile(errors, 0.5),
    durationErrorP95Ms: percentile(errors, 0.95),
    durationErrorMaxMs: errors.length ? Math.max(...errors) : Number.NaN,
  }
}
