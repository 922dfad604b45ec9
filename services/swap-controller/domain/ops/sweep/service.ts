/**
 * Sweeps as the admin API runs them: one at a time (409 while one runs), in the background (the
 * request is answered 202 with the result `running`, which is saved after every level), refused
 * without `confirm` or `dry_run` (428) and, against a real cluster, without `confirm_live` (428: it
 * loads the GPU). Every start, refusal and end is in the audit log as `ops.sweep`.
 */
import type {
  SweepRequest,
  SweepResult,
  SweepTarget,
} from '../../../../../shared/contracts/swap-controller.ts'
import { SWEEP_LEVELS } from '../../../../../shared/contracts/swap-controller.ts'
import { AppError, confirmationRequired, conflict, notFound } from '../../../../../shared/errors.ts'
import type { AuditInput } from '../../coordination/ports.ts'
import type { OpsActor } from '../ports.ts'
import { recommend, SETTINGS } from './knee.ts'
import type { SweepBackend, SweepClock, SweepStore } from './ports.ts'
import { runSweep, type SweepLimits } from './runner.ts'

export const KEPT_SWEEPS = 50
const ACTION = 'ops.sweep'

export interface SweepServiceDeps {
  store: SweepStore
  /** The backend of a target and its URL; null when that backend is not configured. */
  backendFor(target: SweepTarget): { url: string; backend: SweepBackend } | null
  simulated: boolean
  audit(entry: AuditInput): void
  clock: SweepClock
  /** Defaults of a request's `cell_s` and `warmup_s` (SWEEP_CELL_S, SWEEP_WARMUP_S). */
  cellS: number
  warmupS: number
  limits?: Partial<SweepLimits>
  /** Wall-clock time for `started_at`/`finished_at` (the sweep's clock may be a monotonic one). */
  wallClock?: () => Date
  newId?: () => string
  onError?: (err: Error) => void
}

export interface SweepService {
  /** A dry run's plan, or the saved `running` result of a sweep now going on in the background. */
  start(request: SweepRequest, actor: OpsActor): SweepResult
  list(): SweepResult[]
  get(id: string): SweepResult
  /** Resolves when no sweep runs (tests, shutdown). */
  idle(): Promise<void>
  /** Cancels a running sweep (shutdown); it is saved as `cancelled`. */
  close(): Promise<void>
}

export function createSweepService(deps: SweepServiceDeps): SweepService {
  const wall = deps.wallClock ?? (() => new Date())
  const newId = deps.newId ?? (() => `sweep-${globalThis.crypto.randomUUID()}`)
  let running: { id: string; abort: AbortController; done: Promise<void> } | null = null
  interruptLeftovers(deps.store, wall)

  const refuse = (err: AppError, request: SweepRequest, actor: OpsActor): never => {
    deps.audit({ ...auditBase(request, actor), outcome: 'refused', detail: err.message })
    throw err
  }

  return {
    start(request, actor) {
      const target = deps.backendFor(request.target)
      if (!target)
        refuse(
          new AppError(
            503,
            'upstream_unavailable',
            `The ${request.target} backend is not configured, so it cannot be swept.`,
          ),
          request,
          actor,
        )
      const { url, backend } = target!
      const plan = {
        levels: [...(request.levels ?? SWEEP_LEVELS)].sort((a, b) => a - b),
        warmupMs: (request.warmup_s ?? deps.warmupS) * 1000,
        cellMs: (request.cell_s ?? deps.cellS) * 1000,
      }
      const base = emptyResult(request.target, url, deps.simulated, wall())
      if (request.dry_run) {
        deps.audit({
          ...auditBase(request, actor),
          dryRun: true,
          outcome: 'ok',
          detail: `would sweep ${url}`,
        })
        return {
          ...base,
          id: 'dry-run',
          status: 'done',
          finished_at: base.started_at,
          dry_run: true,
          reason: planText(plan, url),
        }
      }
      if (request.confirm !== true) refuse(confirmationRequired('A concurrency sweep'), request, actor)
      if (!deps.simulated && request.confirm_live !== true)
        refuse(
          new AppError(
            428,
            'confirmation_required',
            `A sweep loads the GPU of a live cluster (${url}) for minutes and slows every user of it: ` +
              'send "confirm_live": true to run it anyway.',
          ),
          request,
          actor,
        )
      if (running)
        refuse(
          conflict(`A sweep is already running (${running.id}); wait for it to finish.`, {
            extra: { sweep_id: running.id },
          }),
          request,
          actor,
        )
      const result: SweepResult = { ...base, id: newId() }
      deps.store.save(result)
      deps.audit({
        ...auditBase(request, actor),
        target: result.id,
        outcome: 'started',
        detail: planText(plan, url),
      })
      const abort = new AbortController()
      const done = execute(result, plan, backend, abort.signal, request, actor)
        .catch((err: Error) => deps.onError?.(err))
        .finally(() => {
          running = null
        })
      running = { id: result.id, abort, done }
      return result
    },
    list: () => deps.store.list(KEPT_SWEEPS),
    get(id) {
      const found = deps.store.get(id)
      if (!found) throw notFound(`No sweep ${id}.`)
      return found
    },
    idle: async () => {
      await running?.done
    },
    async close() {
      running?.abort.abort()
      await running?.done
    },
  }

  async function execute(
    result: SweepResult,
    plan: { levels: number[]; warmupMs: number; cellMs: number },
    backend: SweepBackend,
    signal: AbortSignal,
    request: SweepRequest,
    actor: OpsActor,
  ) {
    let final: SweepResult
    try {
      const outcome = await runSweep({
        ...plan,
        backend,
        clock: deps.clock,
        limits: deps.limits,
        signal,
        onCell: (cells) => deps.store.save({ ...result, cells: [...cells] }),
      })
      const status = outcome.cancelled ? 'cancelled' : 'done'
      final = {
        ...result,
        ...recommend(result.target, outcome.cells, outcome.stoppedEarly),
        status,
        cells: outcome.cells,
        stopped_early: outcome.cancelled
          ? 'cancelled: the swap-controller is shutting down'
          : outcome.stoppedEarly,
        finished_at: wall().toISOString(),
      }
    } catch (err) {
      final = {
        ...result,
        status: 'failed',
        finished_at: wall().toISOString(),
        reason: `The sweep failed: ${(err as Error).message}`,
      }
    }
    deps.store.save(final)
    deps.audit({
      ...auditBase(request, actor),
      target: final.id,
      outcome: final.status === 'done' ? 'ok' : final.status,
      detail: final.reason,
    })
  }
}

const auditBase = (request: SweepRequest, actor: OpsActor) => ({
  actor: actor.actor,
  requestId: actor.requestId ?? null,
  action: ACTION,
  target: request.target,
})

function emptyResult(
  target: SweepTarget,
  url: string,
  simulated: boolean,
  now: Date,
): Omit<SweepResult, 'id'> {
  return {
    target,
    url,
    simulated,
    status: 'running',
    started_at: now.toISOString(),
    finished_at: null,
    cells: [],
    stopped_early: null,
    knee: null,
    recommended_limit: null,
    setting: SETTINGS[target].setting,
    reason: null,
  }
}

function planText(plan: { levels: number[]; warmupMs: number; cellMs: number }, url: string): string {
  const seconds = Math.round((plan.levels.length * (plan.warmupMs + plan.cellMs)) / 1000)
  return (
    `Concurrency ${plan.levels.join(', ')} against ${url}: ${plan.warmupMs / 1000} s warm-up and ` +
    `${plan.cellMs / 1000} s measured at each level, about ${seconds} s in all; it stops early on errors.`
  )
}

/** A sweep saved as running when the process stopped did not finish; say so instead of showing it running forever. */
function interruptLeftovers(store: SweepStore, wall: () => Date) {
  for (const r of store.list(KEPT_SWEEPS))
    if (r.status === 'running')
      store.save({
        ...r,
        status: 'failed',
        finished_at: wall().toISOString(),
        reason: 'Interrupted: the swap-controller stopped while it ran.',
      })
}
