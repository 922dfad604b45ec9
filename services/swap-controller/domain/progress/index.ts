/** Start-up progress from vLLM logs: parse lines, merge nodes into one phase and percentage, estimate the ETA. */
export {
  type EtaEstimate,
  type EtaOptions,
  estimateEta,
  type LoadHistoryEntry,
  median,
  typicalPhases,
} from './eta.ts'
export { cleanLine, type LogEvent, parseLogLine, rayWorkerOf } from './log-line.ts'
export {
  DEFAULT_PHASE_SECONDS,
  DEFAULT_PHASE_WEIGHTS,
  FAILURE_KINDS,
  type FailureKind,
  isPhase,
  PHASES,
  type Phase,
  type PhaseWeights,
  phaseIndex,
} from './phases.ts'
export {
  type LoadDurations,
  type PhaseTiming,
  type ProgressFailure,
  type ProgressSnapshot,
  ProgressTracker,
  type ProgressTrackerOptions,
} from './tracker.ts'
