/**
 * When a wedged service is restarted by itself (pure, clock injected). A service is wedged when
 * its health check failed OPS_WEDGE_FAILURES times in a row by timing out or answering 5xx while
 * its container runs (a refused connection is a stopped server, not a wedge). It is restarted
 * only when OPS_AUTO_RESTART is on and its spec says auto_restart, never while a swap or stop uses
 * its node, and at most OPS_AUTO_RESTART_MAX times in OPS_AUTO_RESTART_WINDOW_S. The book is
 * seeded from the audit log, so the window outlives a restart of the controller. A refusal is
 * reported once per wedge, not at every check.
 */
import type { AutoRestartEntry } from '../../../../shared/contracts/swap-controller.ts'

export interface AutoRestartPolicy {
  enabled: boolean
  max: number
  windowMs: number
  wedgeFailures: number
}

/** One health check as auto-restart reads it. */
export type HealthSample = { ok: true } | { ok: false; wedgeLike: boolean }

export type Decision =
  | { kind: 'none' }
  | { kind: 'restart' }
  | { kind: 'rate_limited'; detail: string }
  | { kind: 'refused_swap'; detail: string }

interface Streak {
  failures: number
  toldRateLimited: boolean
  toldSwap: boolean
}

const KEPT = 100

export class AutoRestartBook {
  private readonly streaks = new Map<string, Streak>()
  private readonly entries: AutoRestartEntry[]

  constructor(
    readonly policy: AutoRestartPolicy,
    private readonly now: () => number,
    seed: readonly AutoRestartEntry[] = [],
  ) {
    this.entries = [...seed].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, KEPT)
  }

  /** Newest first. */
  recent(): readonly AutoRestartEntry[] {
    return this.entries
  }

  record(entry: Omit<AutoRestartEntry, 'at'>): AutoRestartEntry {
    const full = { ...entry, at: new Date(this.now()).toISOString() }
    this.entries.unshift(full)
    if (this.entries.length > KEPT) this.entries.length = KEPT
    return full
  }

  /** Restarts tried for `service` inside the window (a failed one counts: it was tried). */
  attemptsInWindow(service: string): number {
    const since = this.now() - this.policy.windowMs
    return this.entries.filter(
      (e) =>
        e.service === service &&
        (e.outcome === 'restarted' || e.outcome === 'failed') &&
        Date.parse(e.at) > since,
    ).length
  }

  observe(
    service: string,
    sample: HealthSample,
    ctx: { autoRestart: boolean; running: boolean; busy: boolean },
  ): Decision {
    const streak = this.streaks.get(service) ?? { failures: 0, toldRateLimited: false, toldSwap: false }
    this.streaks.set(service, streak)
    const wedged = !sample.ok && sample.wedgeLike && ctx.running
    if (!this.policy.enabled || !ctx.autoRestart || !wedged) {
      this.streaks.delete(service)
      return { kind: 'none' }
    }
    streak.failures++
    if (streak.failures < this.policy.wedgeFailures) return { kind: 'none' }
    if (ctx.busy) {
      if (streak.toldSwap) return { kind: 'none' }
      streak.toldSwap = true
      return { kind: 'refused_swap', detail: 'wedged, but a swap or stop is using its node' }
    }
    const attempts = this.attemptsInWindow(service)
    if (attempts >= this.policy.max) {
      if (streak.toldRateLimited) return { kind: 'none' }
      streak.toldRateLimited = true
      const minutes = Math.round(this.policy.windowMs / 60_000)
      return {
        kind: 'rate_limited',
        detail: `wedged, but already restarted ${attempts} times in the last ${minutes} min`,
      }
    }
    this.streaks.delete(service)
    return { kind: 'restart' }
  }
}
