/**
 * What every finished swap leaves behind, whatever happened: its swap record (phases in seconds —
 * swap states and vLLM log phases have disjoint names, the latter feed the next load's ETA), one
 * audit row, and a webhook event (`swap_complete`, or `swap_failed` — a cancelled swap included,
 * since it may have stopped the model apps were using).
 */
import type { Coordination } from '../coordination/service.ts'
import { swapEvent } from '../coordination/webhook.ts'
import { type SwapJob, stateDurations } from './machine.ts'
import { outcomeOf } from './view.ts'

export interface SwapRecords {
  start(r: {
    id: string
    recipe: string
    model: string | null
    fromModel: string | null
    mode?: string
    startedAtMs: number
  }): void
  finish(
    id: string,
    end: {
      outcome: string
      endedAtMs: number
      phases: Record<string, number>
      logExcerpt?: string | null
      error?: string | null
      leftOnNodes?: boolean
    },
  ): boolean
}

export type RecordSinks = Pick<Coordination, 'recordAudit' | 'enqueueWebhook'>

export function recordFinished(
  job: SwapJob,
  logPhases: Record<string, number>,
  sinks: { loads: SwapRecords; coordination: RecordSinks },
  /** `left`: interrupted by shutdown after the launch, the model was left on the nodes (startup-cleanup.ts). */
  ctx: { requestId?: string; left?: boolean },
): void {
  const endedAtMs = job.finished_at_ms!
  const durations = stateDurations(job, endedAtMs)
  const seconds = Object.fromEntries(Object.entries(durations).map(([k, ms]) => [k, ms / 1000]))
  const outcome = outcomeOf(job)
  const phases = { ...seconds, ...logPhases }
  const end = { outcome, endedAtMs, phases, logExcerpt: job.log_excerpt, error: job.error }
  sinks.loads.finish(job.id, { ...end, leftOnNodes: ctx.left === true })
  sinks.coordination.recordAudit({
    actor: job.actor,
    requestId: ctx.requestId,
    action: 'swap.start',
    target: job.recipe,
    outcome,
    durationMs: durations,
    detail: (job.error ?? `${job.from_model ?? 'nothing'} → ${job.model}`).slice(0, 500),
  })
  sinks.coordination.enqueueWebhook(
    swapEvent({
      swapId: job.id,
      recipe: job.recipe,
      model: job.model,
      fromModel: job.from_model,
      startedAtMs: job.started_at_ms,
      finishedAtMs: endedAtMs,
      servingModel: servingAfter(job),
      // Stopped but never seen gone: whether anything still serves is not known.
      teardownUnverified:
        job.transitions.some((t) => t.state === 'stopping') &&
        !job.transitions.some((t) => t.state === 'starting'),
      error:
        outcome === 'ready'
          ? null
          : outcome === 'cancelled'
            ? `cancelled: ${job.error ?? cancelledWhere(job)}`
            : (job.error ?? outcome),
    }),
  )
}

/** "requested while loading", from the last state the swap was in before it was cancelled. */
function cancelledWhere(job: SwapJob): string {
  const before = job.transitions.filter((t) => t.state !== 'cancelled').at(-1)?.state
  return before ? `requested while ${before}` : 'requested'
}

/** What vLLM serves once the swap is over: the new model, the previous one (rolled back, or never stopped), or nothing. */
export function servingAfter(job: SwapJob): string | null {
  const outcome = outcomeOf(job)
  if (outcome === 'ready') return job.model
  if (outcome === 'rolled_back') return job.from_model
  return job.transitions.some((t) => t.state === 'stopping') ? null : job.from_model
}
