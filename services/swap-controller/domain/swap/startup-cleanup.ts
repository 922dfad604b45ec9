/**
 * The next start cleans what a shutdown left. A swap interrupted by shutdown after its launch leaves
 * the half-loaded `vllm_node` on the nodes: the exit budget has no room for the SSH teardown
 * (run.ts). Its record says so (`leftOnNodes`), and at the next start the controller runs the same
 * verified teardown as `POST /api/swap/stop`, as itself, audited as `swap.cleanup` — unless vLLM
 * serves a model, ready: then what is there is not a half-load (it finished by itself, or someone
 * launched another) and is left alone. Either way the record is marked, so it happens once.
 */

import { sleep, withBudget } from '../../../../shared/abort.ts'
import { AppError } from '../../../../shared/errors.ts'
import type { AuditInput } from '../coordination/ports.ts'
import type { SwapEngine } from './engine-types.ts'
import type { SwapJob } from './machine.ts'

/** The newest swap record, as far as the start-up cleanup needs it. */
export interface LastSwap {
  id: string
  recipe: string
  model: string | null
  /** Interrupted by shutdown after its launch: its container was left on the nodes. */
  leftOnNodes: boolean
  /** When a start dealt with what it left; null while nothing has. */
  cleanupAtMs: number | null
}

export interface LeftoverRecords {
  /** The newest real (not dry-run) swap record; every record is finished when the store opens. */
  newest(): LastSwap | undefined
  markCleanedUp(id: string, atMs: number): void
}

export const CLEANUP_ACTOR = 'swap-controller (start-up cleanup)'
export const CLEANUP_ACTION = 'swap.cleanup'

export interface StartupCleanupDeps {
  records: LeftoverRecords
  /** Served ids vLLM lists (it lists them once the model is loaded); rejects when it does not answer. */
  loadedModels(signal?: AbortSignal): Promise<string[]>
  engine: Pick<SwapEngine, 'systemStop'>
  audit(entry: AuditInput): void
  /** The whole cleanup's budget: the stop's grace and its verification fit in it. */
  budgetMs: number
  /** Shutdown: the cleanup ends at once and runs again at the next start. */
  signal?: AbortSignal
  /** Pause before vLLM is asked a second time (one failed answer is not taken as "nothing serves"). */
  retryMs?: number
  now?: () => number
}

export type CleanupResult =
  | { kind: 'nothing' }
  | { kind: 'left-alone'; serving: string }
  | { kind: 'cleaned' }
  | { kind: 'not-done'; reason: string }

/** Whether a finished swap left its launched model on the nodes: only a shutdown skips the teardown. */
export const leftOnNodes = (job: SwapJob, interrupted: boolean | undefined): boolean =>
  interrupted === true && job.state === 'cancelled' && job.transitions.some((t) => t.state === 'starting')

export async function cleanUpInterruptedSwap(deps: StartupCleanupDeps): Promise<CleanupResult> {
  const last = deps.records.newest()
  if (!last?.leftOnNodes || last.cleanupAtMs !== null) return { kind: 'nothing' }
  const now = deps.now ?? Date.now
  const signal = withBudget(deps.signal, deps.budgetMs)
  const load = `the load of ${last.model ?? last.recipe} interrupted by a shutdown`
  const audit = (outcome: string, detail: string) =>
    deps.audit({ actor: CLEANUP_ACTOR, action: CLEANUP_ACTION, target: last.recipe, outcome, detail })
  const done = () => deps.records.markCleanedUp(last.id, now())

  const serving = await servedReady(deps, signal)
  if (serving) {
    audit(
      'ok',
      serving === last.model
        ? `Nothing removed: ${load} finished by itself, and vLLM serves it.`
        : `Nothing removed: vLLM serves ${serving}, ready, so ${load} is no longer there.`,
    )
    done()
    return { kind: 'left-alone', serving }
  }
  try {
    await deps.engine.systemStop({
      actor: CLEANUP_ACTOR,
      action: CLEANUP_ACTION,
      target: last.recipe,
      doneDetail: `Removed what ${load} left on the nodes; teardown verified.`,
      signal,
    })
    done()
    return { kind: 'cleaned' }
  } catch (err) {
    return notDone(err, { audit, done, shuttingDown: deps.signal?.aborted === true })
  }
}

/** The served id when vLLM lists one; null when it lists none or does not answer twice. */
async function servedReady(deps: StartupCleanupDeps, signal: AbortSignal): Promise<string | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await deps.loadedModels(signal))[0] ?? null
    } catch {
      if (attempt >= 1 || signal.aborted) return null
      await sleep(deps.retryMs ?? 1000, { signal }).catch(() => undefined)
    }
  }
}

/** The stop audits its own ends (interrupted, not verified); the rest is audited here. */
const AUDITED_BY_STOP = new Set(['stop_interrupted', 'teardown_not_verified'])

function notDone(
  err: unknown,
  ctx: { audit: (outcome: string, detail: string) => void; done: () => void; shuttingDown: boolean },
): CleanupResult {
  const reason = err instanceof Error ? err.message : String(err)
  if (err instanceof AppError && err.status === 409) {
    // A swap or a stop began first: its own teardown removes what was left.
    ctx.audit(
      'cancelled',
      'Not needed: a switch or a stop began first, and its teardown removes what was left.',
    )
    ctx.done()
  } else if (!(err instanceof AppError && AUDITED_BY_STOP.has(err.code))) {
    const outcome = ctx.shuttingDown ? 'cancelled' : 'failed'
    ctx.audit(outcome, `Not finished (it is tried again at the next start): ${reason}`)
  }
  return { kind: 'not-done', reason }
}
