/** The engine's live record of one target, shared by its parts (probe loops, intake, housekeeping). */
import type { ProbingMode, Target, TargetClassifier } from '../ports.ts'
import type { ProbeLayer } from '../schedule/delay.ts'
import { LatencyProfile } from './latency-profile.ts'
import type { SlotTask } from './slot-timer.ts'
import { TargetReadings } from './view.ts'

export type { ProbeLayer }

/** One layer's probe loop of one target: at most its limit of probes in flight, the next one timed. */
export interface LayerLoop {
  layer: ProbeLayer
  /** Its next probe on the engine's slot timer; null while one is in flight past the limit, or parked. */
  timer: SlotTask | null
  /** No timer: its probe would tell nothing now (probe-loops.ts `idle`); `wake` restarts it. */
  parked: boolean
  inFlight: number
  /** The timer fired while the limit was in flight: probe again as soon as one ends. */
  pending: boolean
  /** When the budget first refused this loop's probe; null while it is not waiting for a token. */
  starvedSince: number | null
}

export interface TargetRuntime {
  target: Target
  classifier: TargetClassifier
  /** Why it is in its state (the last transition's reason). */
  reason: string
  readings: TargetReadings
  /** The maintenance reason last told to the classifier. */
  maintenance: string | null
  loops: Map<ProbeLayer, LayerLoop>
  /** The probing mode last seen, to notice the switch to `fast`. */
  mode: ProbingMode
  /** How long its steady health checks take while it is up (what "overdue" is measured against). */
  healthLatency: LatencyProfile
}

export function targetRuntime(target: Target, classifier: TargetClassifier, now: number): TargetRuntime {
  return {
    target,
    classifier,
    reason: target.disabled ? 'switched off (DISABLED_SERVICES): listed, never probed' : 'no evidence yet',
    readings: new TargetReadings(),
    maintenance: null,
    loops: new Map(),
    mode: classifier.probing(now),
    healthLatency: new LatencyProfile(),
  }
}
