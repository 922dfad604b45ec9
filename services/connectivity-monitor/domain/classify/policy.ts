/**
 * The classifier's thresholds. The counts, the staleness and the probe intervals come from the
 * config; the windows below are fixed because the tests and the benchmark prove them together
 * with the default intervals (a 1.5 s health timeout, 250 ms bursts).
 */
import type { MonitorConfig } from '../../config.ts'
import type { EvidenceLayer } from '../ports.ts'

export interface ClassifierPolicy {
  /** Failures in a row (no liveness in between) that call a target down. */
  downAfter: number
  /**
   * Those failures must have been sent at least this far apart (first to last): a refusal and the
   * check sent at once to confirm it both land in a 150 ms blip, which is not an outage.
   */
  confirmSpanMs: number
  /** Successes in a row that call a down target up again; fast health answers that end busy. */
  upAfter: number
  /** No evidence at all for this long: unknown. */
  staleAfterMs: number
  /** Each layer's steady interval, which bounds the back-dating (passive traffic uses health's). */
  intervalMs: Record<EvidenceLayer, number>
  /**
   * Spark Control's own services start beside the monitor: one not answering yet in its first
   * this-long is starting, not down (it stays unknown), and a down after it is dated no earlier.
   */
  startupGraceMs: number
  /** A functional check sent less than this long ago holds back an app-level down. */
  pendingGraceMs: number
  /** Liveness this recent keeps a slow target busy rather than down. */
  livenessWindowMs: number
  /** Probing stays fast this long after a failure or a slow answer; passive oks this recent make it quiet. */
  recentMs: number
  degraded: {
    windowMs: number
    /** At least this many failures in the window … */
    minFailures: number
    /** … and at least this share of the app evidence failing. */
    minShare: number
    /** Degraded ends after this many app answers in a row without a failure. */
    clearAfter: number
  }
}

type PolicyKeys =
  | 'MONITOR_DOWN_AFTER'
  | 'MONITOR_CONFIRM_MS'
  | 'MONITOR_UP_AFTER'
  | 'MONITOR_STALE_AFTER_MS'
  | 'MONITOR_TCP_INTERVAL_MS'
  | 'MONITOR_HTTP_INTERVAL_MS'
  | 'MONITOR_HTTP_IDLE_INTERVAL_MS'
  | 'MONITOR_FUNCTIONAL_INTERVAL_MS'
  | 'MONITOR_SSH_INTERVAL_MS'
  | 'MONITOR_STARTUP_GRACE_MS'

export function classifierPolicy(config: Pick<MonitorConfig, PolicyKeys>): ClassifierPolicy {
  return {
    downAfter: config.MONITOR_DOWN_AFTER,
    // One failure is enough for an owner who asked for that; no spread to wait for then.
    confirmSpanMs: config.MONITOR_DOWN_AFTER > 1 ? config.MONITOR_CONFIRM_MS : 0,
    upAfter: config.MONITOR_UP_AFTER,
    staleAfterMs: config.MONITOR_STALE_AFTER_MS,
    intervalMs: {
      tcp: config.MONITOR_TCP_INTERVAL_MS,
      // The longer of the two health intervals, so an idle target's gaps are still back-dated.
      http: Math.max(config.MONITOR_HTTP_INTERVAL_MS, config.MONITOR_HTTP_IDLE_INTERVAL_MS),
      functional: config.MONITOR_FUNCTIONAL_INTERVAL_MS,
      ssh: config.MONITOR_SSH_INTERVAL_MS,
      passive: config.MONITOR_HTTP_INTERVAL_MS,
    },
    startupGraceMs: config.MONITOR_STARTUP_GRACE_MS,
    pendingGraceMs: 3000,
    livenessWindowMs: 10_000,
    recentMs: 5000,
    degraded: { windowMs: 30_000, minFailures: 3, minShare: 0.3, clearAfter: 10 },
  }
}
