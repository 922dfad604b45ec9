/** The engine's live record of one target, shared by its parts (probe loops, intake, housekeeping). */
import type { EvidenceLayer, ProbingMode, Target, TargetClassifier } from '../ports.ts'
import { TargetReadings } from './view.ts'

export type ProbeLayer = Exclude<EvidenceLayer, 'passive'>

/** One layer's probe loop of one target: at most its limit of probes in flight, the next one timed. */
export interface LayerLoop {
  layer: ProbeLayer
  timer: ReturnType<typeof setTimeout> | null
  /** When the timer fires. */
  dueAt: number
  inFlight: number
  /** The timer fired while the limit was in flight: probe again as soon as one ends. */
  pending: boolean
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
  }
}

/**
 * The classifier tells when a functional check began, so it waits for that check before it calls
 * a slow target down. The method is optional on purpose: feature-detected, not required.
 */
export function tellStarted(classifier: TargetClassifier, layer: ProbeLayer, at: number): void {
  const started = (classifier as { started?: (layer: ProbeLayer, at: number) => void }).started
  started?.call(classifier, layer, at)
}
