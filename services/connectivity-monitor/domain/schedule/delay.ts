/**
 * How long until a target's next probe of one layer. Steady probing runs at each layer's interval;
 * right after a failure or a slow answer (`fast`) the cheap layers (TCP, health, SSH) run at the
 * burst interval so an outage is confirmed, and its end seen, within a second; while real traffic
 * to the target succeeds (`quiet`) the probes add little and run `MONITOR_QUIET_FACTOR` times less
 * often. An idle target's health check (`steady`: no traffic, nothing failing or slow) runs at its
 * own, longer interval: idle outages have 3 s to be seen, those under traffic 2 s. Every delay is jittered so targets started together do not probe in step.
 */
import type { MonitorConfig } from '../../config.ts'
import type { EvidenceLayer, ProbingMode } from '../ports.ts'

export type ProbeLayer = Exclude<EvidenceLayer, 'passive'>

/**
 * A functional check is real work (a one-token completion, a short transcription): fast mode does
 * not burst it — it keeps its own interval, and never runs more often than this, so a GPU that
 * is already struggling is not loaded further. (The engine runs one at once when health turns
 * slow; that single check is what tells busy from down.)
 */
export const FUNCTIONAL_FAST_FLOOR_MS = 5000

export interface ScheduleSettings {
  /** Each layer's steady interval. */
  intervalMs: Record<ProbeLayer, number>
  /** The health interval in `steady` mode (no traffic, nothing failing or slow); traffic keeps `intervalMs.http`. */
  idleHttpMs: number
  fastMs: number
  quietFactor: number
  /** Share of the delay drawn at random and added or taken away (0.1: ±10 %). */
  jitter: number
  budgetPerSecond: number
}

type ScheduleKeys =
  | 'MONITOR_TCP_INTERVAL_MS'
  | 'MONITOR_HTTP_INTERVAL_MS'
  | 'MONITOR_HTTP_IDLE_INTERVAL_MS'
  | 'MONITOR_FUNCTIONAL_INTERVAL_MS'
  | 'MONITOR_SSH_INTERVAL_MS'
  | 'MONITOR_FAST_INTERVAL_MS'
  | 'MONITOR_QUIET_FACTOR'
  | 'MONITOR_JITTER'
  | 'MONITOR_PROBE_BUDGET_PER_S'

export function scheduleSettings(config: Pick<MonitorConfig, ScheduleKeys>): ScheduleSettings {
  return {
    intervalMs: {
      tcp: config.MONITOR_TCP_INTERVAL_MS,
      http: config.MONITOR_HTTP_INTERVAL_MS,
      functional: config.MONITOR_FUNCTIONAL_INTERVAL_MS,
      ssh: config.MONITOR_SSH_INTERVAL_MS,
    },
    // Never shorter than the health interval itself (a test or an owner may lengthen only that one).
    idleHttpMs: Math.max(config.MONITOR_HTTP_IDLE_INTERVAL_MS, config.MONITOR_HTTP_INTERVAL_MS),
    fastMs: config.MONITOR_FAST_INTERVAL_MS,
    quietFactor: config.MONITOR_QUIET_FACTOR,
    // Above 1 a delay could come out negative; past 0.5 the schedule is mostly noise anyway.
    jitter: Math.min(Math.max(config.MONITOR_JITTER, 0), 0.5),
    budgetPerSecond: config.MONITOR_PROBE_BUDGET_PER_S,
  }
}

/** The delay before jitter; fast TCP, health and SSH are never slower than steady. */
export function baseDelay(layer: ProbeLayer, mode: ProbingMode, settings: ScheduleSettings): number {
  const interval = settings.intervalMs[layer]
  if (mode === 'quiet') return interval * settings.quietFactor
  if (mode === 'steady') return layer === 'http' ? settings.idleHttpMs : interval
  if (layer === 'functional') return Math.max(interval, FUNCTIONAL_FAST_FLOOR_MS)
  return Math.min(interval, settings.fastMs)
}

/** Milliseconds to the next probe of `layer` for a target in `mode`; `random` in [0, 1). */
export function probeDelay(
  layer: ProbeLayer,
  mode: ProbingMode,
  settings: ScheduleSettings,
  random: () => number,
): number {
  const base = baseDelay(layer, mode, settings)
  const spread = settings.jitter * (2 * random() - 1)
  return Math.max(1, Math.round(base * (1 + spread)))
}
