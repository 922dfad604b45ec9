/**
 * `POST /api/swap/stop`: what a swap does first — drain, stop, verify the teardown — and nothing
 * after, so no model is loaded. One at a time, never under a swap; audited (refusals too).
 */
import { AppError, conflict } from '../../../../shared/errors.ts'
import type { Recipe } from '../catalog/types.ts'
import type { StopAnswer, StopRequest, SwapEngineDeps, SystemStopRequest } from './engine-types.ts'
import { planStop, renderTeardown } from './plan.ts'
import { refusalAuditor } from './refusals.ts'

export interface StopperDeps {
  deps: SwapEngineDeps
  now: () => number
  currentModel(): Promise<{ id: string | null; recipe: Recipe | null }>
  /** Why a stop may not start now because of a swap (running, or being checked); null when none. */
  busy(): AppError | null
}

export function createStopper({ deps, now, currentModel, busy }: StopperDeps) {
  let stopping: AbortController | null = null
  const refusals = refusalAuditor({ now })

  async function stopNow(req: StopRequest, system: SystemStopRequest | null): Promise<StopAnswer> {
    // The lock guards against other callers; the controller's own cleanup is not one of them.
    if (!req.dryRun && !system) deps.coordination.assertSwapAllowed(req.token)
    const swap = req.dryRun ? null : busy()
    if (swap) throw swap
    if (!req.dryRun && stopping) throw conflict('A stop is already in progress.')
    const guard = req.dryRun ? null : new AbortController()
    if (guard) stopping = guard
    try {
      const current = await currentModel()
      const p = planStop({
        nodes: deps.inventory.nodes,
        container: deps.container,
        vllmPort: deps.vllmPort,
        stopGraceS: deps.stopGraceS,
      })
      const base = {
        model: current.id,
        recipe: current.recipe?.key ?? null,
        nodes: p.nodes,
        commands: renderTeardown(p),
      }
      const audit = (outcome: string, detail: string, durationMs?: Record<string, number>) =>
        deps.coordination.recordAudit({
          ...{
            actor: req.actor,
            requestId: req.requestId,
            action: system?.action ?? 'swap.stop',
            target: system?.target ?? base.recipe ?? base.model,
          },
          ...{ dryRun: !guard, outcome, detail: detail.slice(0, 500), durationMs },
        })
      if (!guard) {
        audit('ok', `would stop ${current.id ?? 'nothing'} on ${p.nodes.join(', ')}`)
        return { dry_run: true, stopped: false, ...base, duration_ms: null }
      }
      const signal = system ? AbortSignal.any([guard.signal, system.signal]) : guard.signal
      // As a swap does: in-flight generations finish (bounded by the drain) before vLLM goes away.
      const t0 = now()
      await deps.drain?.(signal)
      const drained: Record<string, number> = deps.drain ? { draining: now() - t0 } : {}
      if (signal.aborted) {
        audit(
          'cancelled',
          'interrupted while draining: the service is shutting down; nothing was stopped',
          drained,
        )
        throw new AppError(
          503,
          'stop_interrupted',
          'The stop was interrupted (the service is shutting down); nothing was stopped.',
        )
      }
      const t1 = now()
      await deps.driver.stop(p, signal)
      const t2 = now()
      const durations = () => ({ ...drained, stopping: t2 - t1, 'verifying-stopped': now() - t2 })
      try {
        await deps.driver.verifyStopped(p, signal)
      } catch (err) {
        // The driver words it for a swap; a stop has no new model to mention.
        const why = (err instanceof Error ? err.message : String(err)).replace(
          /; the new model was not started$/,
          '',
        )
        audit('failed', why, durations())
        throw new AppError(502, 'teardown_not_verified', `Stop failed: ${why}.`, {
          extra: { nodes: p.nodes },
        })
      }
      const took = durations()
      audit('ok', system?.doneDetail ?? `${current.id ?? 'nothing'} stopped; teardown verified`, took)
      return { dry_run: false, stopped: true, ...base, duration_ms: took }
    } finally {
      if (guard && stopping === guard) stopping = null
    }
  }

  return {
    stop: (req: StopRequest) =>
      refusals.run(
        () => stopNow(req, null),
        (detail) =>
          deps.coordination.recordAudit({
            ...{ actor: req.actor, requestId: req.requestId, action: 'swap.stop', target: null },
            ...{ dryRun: req.dryRun === true, outcome: 'refused', detail },
          }),
        req.actor,
      ),
    /** Not through the refusal auditor: the start-up cleanup audits why it did not run. */
    systemStop: (req: SystemStopRequest) => stopNow({ actor: req.actor }, req),
    inProgress: () => stopping !== null,
    /** Shutdown: a stop draining or tearing down ends at once. */
    abort: () => stopping?.abort(),
  }
}
