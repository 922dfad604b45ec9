/**
 * Time left in a start-up, from how long the same recipe's earlier successful loads in the same
 * mode spent in each phase (median, so one cold-cache load does not skew it), scaled to their
 * median load time (launch to ready) when only totals are known. A failed, cancelled, rolled-back
 * or teardown-only run says nothing about how long a load takes and is never counted. Without history: this load's own pace once the weights are loading. A phase
 * is "stalled" when it has run more than `stallFactor` × its usual time (the default profile without
 * history) — and at least `stallFloorS`, so a phase that usually takes 2 s is not flagged after 6 s
 * of ordinary jitter.
 */
import { DEFAULT_PHASE_SECONDS, PHASES, type Phase, type PhaseWeights, phaseIndex } from './phases.ts'
import type { ProgressSnapshot } from './tracker.ts'

export interface LoadHistoryEntry {
  phases: Record<string, number>
  total_s: number
  /** Launch to ready, without the drain and teardown `total_s` includes. */
  load_s?: number
  /** Only `ready` loads count; an entry without one is taken as a successful load. */
  outcome?: string
}

/** The entries an ETA may learn from: loads that reached ready. */
export const successfulOnly = (history: readonly LoadHistoryEntry[]) =>
  history.filter((h) => h.outcome === undefined || h.outcome === 'ready')

export interface EtaOptions {
  /** Default 3. */
  stallFactor?: number
  /** Default 60 s. */
  stallFloorS?: number
  /** Seconds per phase used without history. */
  profile?: Partial<PhaseWeights>
}

/** The overall bar must have reached the weights (container and engine start-up are ~10 %) to extrapolate. */
const LIVE_PACE_MIN_PERCENT = 10

export interface EtaEstimate {
  /** Seconds until ready; 0 once ready, null after a failure. */
  eta_s: number | null
  /** What a whole load usually takes. */
  typical_total_s: number
  phase: Phase
  phase_elapsed_s: number
  phase_typical_s: number
  stalled: boolean
  /** `history`: this recipe's past loads; `progress`: this load's pace so far; `default`: the generic profile. */
  basis: 'history' | 'progress' | 'default'
}

export function median(values: readonly number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v) && v >= 0).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The usual seconds of every phase for this history. */
export function typicalPhases(
  history: readonly LoadHistoryEntry[],
  profile: Partial<PhaseWeights> = {},
): Record<Phase, number> {
  const loads = successfulOnly(history)
  const base = { ...DEFAULT_PHASE_SECONDS, ...profile }
  const baseTotal = PHASES.reduce((s, p) => s + base[p], 0)
  const medianTotal = median(loads.map((h) => h.load_s ?? h.total_s).filter((t) => t > 0))
  const scale = medianTotal !== null && baseTotal > 0 ? medianTotal / baseTotal : 1
  const out = {} as Record<Phase, number>
  for (const phase of PHASES) {
    const seen = median(
      loads.flatMap((h) => (typeof h.phases?.[phase] === 'number' ? [h.phases[phase]!] : [])),
    )
    out[phase] = seen ?? base[phase] * scale
  }
  return out
}

export function estimateEta(
  tracker: { snapshot(): ProgressSnapshot },
  allHistory: readonly LoadHistoryEntry[],
  options: EtaOptions = {},
): EtaEstimate {
  const history = successfulOnly(allHistory)
  const snap = tracker.snapshot()
  const usual = typicalPhases(history, options.profile)
  const typicalTotal = PHASES.reduce((s, p) => s + usual[p], 0)
  const elapsed = Math.max(0, (snap.at_ms - snap.phase_started_at_ms) / 1000)
  const phaseTypical = usual[snap.phase]
  const threshold = Math.max((options.stallFactor ?? 3) * phaseTypical, options.stallFloorS ?? 60)
  const base = {
    typical_total_s: round(typicalTotal),
    phase: snap.phase,
    phase_elapsed_s: round(elapsed),
    phase_typical_s: round(phaseTypical),
    basis: history.length > 0 ? ('history' as const) : ('default' as const),
  }
  if (snap.failure) return { ...base, eta_s: null, stalled: false }
  if (snap.phase === 'ready') return { ...base, eta_s: 0, stalled: false }
  const later = PHASES.slice(phaseIndex(snap.phase) + 1).reduce((s, p) => s + usual[p], 0)
  const stalled = elapsed > threshold
  const byProfile = remainingInPhase(elapsed, phaseTypical, snap.phase_percent) + later
  if (history.length > 0) return { ...base, eta_s: round(byProfile), stalled }
  // Without history nobody knows how long a first load takes (a small model is ready in seconds, a
  // large one after minutes): this load's own pace says more than a generic profile.
  const pace = livePace(snap)
  const basis = pace === null ? ('default' as const) : ('progress' as const)
  return { ...base, basis, eta_s: round(pace ?? byProfile), stalled }
}

/**
 * Time left at the pace of this load so far: the overall bar (weighted by phase, moved by the
 * log's shard and graph percentages) against the time since launch. Null before the weights.
 */
function livePace(snap: ProgressSnapshot): number | null {
  const sinceLaunch = (snap.at_ms - snap.started_at_ms) / 1000
  if (snap.percent < LIVE_PACE_MIN_PERCENT || snap.percent >= 100 || sinceLaunch <= 0) return null
  return (sinceLaunch * (100 - snap.percent)) / snap.percent
}

/**
 * With a percentage from the log, this load's own pace is the better guide (a model twice the
 * usual size loads its shards at the same rate but has twice as many); without one, the usual
 * duration minus what already passed.
 */
function remainingInPhase(elapsed: number, typical: number, percent: number | null): number {
  if (percent !== null && percent >= 5 && percent < 100 && elapsed > 0) {
    return (elapsed * (100 - percent)) / percent
  }
  if (percent === 100) return 0
  return Math.max(0, typical - elapsed)
}

const round = (n: number) => Math.round(n * 10) / 10
