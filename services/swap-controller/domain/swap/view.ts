/**
 * The wire shape of a swap job (earlier-style `{job_id, status, ...}`, see docs/COMPATIBILITY.md),
 * built from the machine's job and the live progress. One function, so `POST /api/swap`,
 * `GET /api/swap/{id}`, `GET /api/swap/state` and the SSE events agree.
 */
import { isoUtc } from '../coordination/time.ts'
import type { EtaEstimate } from '../progress/eta.ts'
import type { ProgressSnapshot } from '../progress/tracker.ts'
import { type SwapJob, type SwapState, stateDurations } from './machine.ts'

export type SwapOutcome = 'running' | 'ready' | 'failed' | 'cancelled' | 'rolled_back'

export interface ProgressView {
  phase: string
  phase_percent: number | null
  percent: number
  eta_s: number | null
  /** What `eta_s` rests on; `default` is a generic profile, a guess. */
  eta_basis?: 'history' | 'progress' | 'default' | null
  stalled: boolean
}

export interface JobView {
  job_id: string
  status: SwapState
  outcome: SwapOutcome
  recipe: string
  mode: string
  model: string
  from_model: string | null
  started_at: string
  finished_at: string | null
  transitions: { state: SwapState; at: string }[]
  /** Milliseconds per state so far. */
  durations_ms: Record<string, number>
  error: string | null
  log_excerpt: string | null
  rollback: SwapJob['rollback']
  cancel_requested: boolean
  warnings: string[]
  progress: ProgressView | null
}

export function outcomeOf(job: SwapJob): SwapOutcome {
  if (job.finished_at_ms === null) return 'running'
  if (job.state === 'ready') return job.rollback ? 'rolled_back' : 'ready'
  return job.state === 'cancelled' ? 'cancelled' : 'failed'
}

export function progressView(snap: ProgressSnapshot | null, eta: EtaEstimate | null): ProgressView | null {
  if (!snap) return null
  return {
    phase: snap.phase,
    phase_percent: snap.phase_percent,
    percent: Math.round(snap.percent * 10) / 10,
    eta_s: eta?.eta_s ?? null,
    eta_basis: eta?.basis ?? null,
    stalled: eta?.stalled ?? false,
  }
}

export function jobView(job: SwapJob, nowMs: number, progress: ProgressView | null = null): JobView {
  return {
    job_id: job.id,
    status: job.state,
    outcome: outcomeOf(job),
    recipe: job.recipe,
    mode: job.mode,
    model: job.model,
    from_model: job.from_model,
    started_at: isoUtc(job.started_at_ms),
    finished_at: job.finished_at_ms === null ? null : isoUtc(job.finished_at_ms),
    transitions: job.transitions.map((t) => ({ state: t.state, at: isoUtc(t.at_ms) })),
    durations_ms: stateDurations(job, nowMs),
    error: job.error,
    log_excerpt: job.log_excerpt,
    rollback: job.rollback,
    cancel_requested: job.cancel_requested,
    warnings: job.warnings,
    progress,
  }
}
