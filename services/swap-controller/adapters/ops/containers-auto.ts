/**
 * The auto-restart loop (only started when OPS_AUTO_RESTART is on): every OPS_HEALTH_INTERVAL_MS
 * it checks the health of each service whose spec says auto_restart, asks docker whether the
 * failing ones' containers run, and lets the book (domain/ops/auto-restart.ts) decide. A restart
 * goes through the same guard rails as a person's, as actor `auto-restart` and audit action
 * `ops.auto_restart`; a refusal (rate limit, swap) is audited under the same action.
 */
import type { AutoRestartEntry } from '../../../../shared/contracts/swap-controller.ts'
import type { Logger } from '../../../../shared/logger.ts'
import type { AuditEntry, AuditInput } from '../../domain/coordination/ports.ts'
import type { AutoRestartBook, Decision } from '../../domain/ops/auto-restart.ts'
import type { ServiceEntry } from '../../domain/ops/inventory.ts'
import type { SwapActivity } from '../../domain/ops/ports.ts'
import type { ServiceContainersAdapter } from './containers.ts'
import type { HealthProbe } from './containers-health.ts'

export const AUTO_RESTART_ACTION = 'ops.auto_restart'
export const AUTO_RESTART_ACTOR = 'auto-restart'

/** The book's past entries from the audit log's `ops.auto_restart` rows (refusals carry their kind in `detail`). */
export function entriesFromAudit(rows: readonly AuditEntry[]): AutoRestartEntry[] {
  return rows.flatMap((r): AutoRestartEntry[] => {
    if (!r.target || r.dry_run) return []
    const refusal = /^(rate_limited|refused_swap): (.*)$/.exec(r.detail ?? '')
    const outcome =
      r.outcome === 'ok'
        ? 'restarted'
        : r.outcome === 'failed'
          ? 'failed'
          : (refusal?.[1] as 'rate_limited' | 'refused_swap' | undefined)
    if (!outcome) return []
    return [{ service: r.target, at: r.at, outcome, detail: refusal?.[2] ?? r.detail }]
  })
}

export interface AutoRestartLoopDeps {
  entries: readonly ServiceEntry[]
  containers: ServiceContainersAdapter
  book: AutoRestartBook
  probe: HealthProbe
  swaps: SwapActivity
  audit: (entry: AuditInput) => void
  intervalMs: number
  logger: Logger
}

export function startAutoRestartLoop(deps: AutoRestartLoopDeps): { stop(): void; tick(): Promise<void> } {
  const watched = deps.entries.filter(
    (e) => e.spec.auto_restart && !e.spec.disabled && !e.problem && e.healthUrl !== null,
  )
  const stopper = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined

  async function handle(entry: ServiceEntry, decision: Decision): Promise<void> {
    const service = entry.spec.name
    if (decision.kind === 'rate_limited' || decision.kind === 'refused_swap') {
      deps.audit({
        actor: AUTO_RESTART_ACTOR,
        action: AUTO_RESTART_ACTION,
        target: service,
        outcome: 'refused',
        detail: `${decision.kind}: ${decision.detail}`,
      })
      deps.book.record({ service, outcome: decision.kind, detail: decision.detail })
      deps.logger.warn({ service, decision: decision.kind }, 'auto-restart refused')
      return
    }
    if (decision.kind !== 'restart') return
    deps.logger.warn({ service }, 'service wedged: restarting it')
    try {
      const answer = await deps.containers.act(service, 'restart', {
        actor: AUTO_RESTART_ACTOR,
        dryRun: false,
        auditAction: AUTO_RESTART_ACTION,
      })
      const ok = answer.health_after === null || answer.health_after.ok
      deps.book.record({
        service,
        outcome: ok ? 'restarted' : 'failed',
        detail: ok ? null : (answer.health_after?.error ?? 'not healthy after the restart'),
      })
    } catch (err) {
      deps.book.record({ service, outcome: 'failed', detail: (err as Error).message })
    }
  }

  async function tick(): Promise<void> {
    const checks = await Promise.all(
      watched.map(async (e) => ({
        entry: e,
        health: await deps.probe(e.healthUrl as string, stopper.signal),
      })),
    )
    const failing = checks.filter((c) => !c.health.ok && c.health.wedgeLike).map((c) => c.entry)
    const running = failing.length > 0 ? await deps.containers.running(failing, stopper.signal) : new Map()
    const busy = deps.swaps.busyNodes()
    for (const { entry, health } of checks) {
      if (stopper.signal.aborted) return
      const decision = deps.book.observe(
        entry.spec.name,
        health.ok ? { ok: true } : { ok: false, wedgeLike: health.wedgeLike },
        {
          autoRestart: true,
          running: running.get(entry.spec.name) === true,
          busy: busy.includes(entry.spec.node),
        },
      )
      await handle(entry, decision)
    }
  }

  const schedule = () => {
    if (stopper.signal.aborted) return
    timer = setTimeout(() => {
      tick()
        .catch((err: Error) => deps.logger.warn({ reason: err.message }, 'auto-restart check failed'))
        .finally(schedule)
    }, deps.intervalMs)
    timer.unref?.()
  }
  if (watched.length > 0) schedule()
  return {
    stop: () => {
      stopper.abort()
      clearTimeout(timer)
    },
    tick,
  }
}
