/**
 * The swap state machine (docs/SWAP_API.md#the-swap-state-machine), pure and clock-injected: one
 * swap at a time, a duplicate request for the running recipe joins it (same job id, as a double
 * click must not start two), a different recipe while one runs is a 409. Every transition is
 * timestamped so per-phase durations can be audited and fed to the ETA of later loads. The engine
 * drives it; this file only decides what is allowed.
 */

import type { SWAP_STATES } from '../../../../shared/contracts/swap-controller/swap.ts'
import { conflict } from '../../../../shared/errors.ts'
import type { RunMode } from '../catalog/types.ts'

// The states are part of the HTTP contract (a job's `status`), so the contract holds the one list.
export type SwapState = (typeof SWAP_STATES)[number]

const TERMINAL: ReadonlySet<SwapState> = new Set(['ready', 'failed', 'cancelled'])
export const isTerminal = (s: SwapState) => TERMINAL.has(s)

/** Forward only; `failed` may be followed by exactly one rollback. */
const NEXT: Record<SwapState, readonly SwapState[]> = {
  draining: ['stopping', 'failed', 'cancelled'],
  stopping: ['verifying-stopped', 'failed', 'cancelled'],
  'verifying-stopped': ['starting', 'failed', 'cancelled'],
  starting: ['loading', 'failed', 'cancelled'],
  loading: ['warming', 'failed', 'cancelled'],
  warming: ['ready', 'failed', 'cancelled'],
  // The rollback runs teardown and relaunch of the previous model as one state: the job's target
  // stays the model that failed, and its phases are not mixed into that model's load history.
  'rolling-back': ['ready', 'failed', 'cancelled'],
  failed: ['rolling-back'],
  ready: [],
  cancelled: [],
}

export interface Transition {
  state: SwapState
  at_ms: number
}

export interface SwapJob {
  id: string
  recipe: string
  mode: RunMode
  /** Served id expected once ready. */
  model: string
  from_model: string | null
  from_recipe: string | null
  state: SwapState
  started_at_ms: number
  finished_at_ms: number | null
  transitions: Transition[]
  error: string | null
  log_excerpt: string | null
  /** Set once a rollback was attempted; never a second time (bounded restarts). */
  rollback: { recipe: string; outcome: 'running' | 'ready' | 'failed' } | null
  cancel_requested: boolean
  actor: string
  /** What pre-flight and the run found worth knowing that did not stop the swap. */
  warnings: string[]
}

export interface StartRequest {
  recipe: string
  mode: RunMode
  model: string
  from_model: string | null
  from_recipe: string | null
  actor: string
  warnings?: string[]
}

export interface MachineOptions {
  now?: () => number
  newId?: () => string
  /** Finished jobs kept for `GET /api/swap/{id}` (bounded). */
  keep?: number
}

export type StartResult = { kind: 'started' | 'coalesced'; job: SwapJob }

export class SwapMachine {
  readonly #now: () => number
  readonly #newId: () => string
  readonly #keep: number
  #current: SwapJob | null = null
  readonly #finished: SwapJob[] = []

  constructor(options: MachineOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#newId = options.newId ?? (() => `swp_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`)
    this.#keep = options.keep ?? 50
  }

  current(): SwapJob | null {
    return this.#current
  }

  get(id: string): SwapJob | undefined {
    if (this.#current?.id === id) return this.#current
    return this.#finished.find((j) => j.id === id)
  }

  /** The newest job, running or finished. */
  latest(): SwapJob | null {
    return this.#current ?? this.#finished[0] ?? null
  }

  start(req: StartRequest): StartResult {
    const running = this.#current
    if (running) {
      if (running.recipe === req.recipe && running.mode === req.mode && !running.cancel_requested)
        return { kind: 'coalesced', job: running }
      const message = `A swap to ${running.recipe} is in progress (${running.state}); wait for it or cancel it.`
      throw conflict(message, { extra: { job_id: running.id, state: running.state } })
    }
    const at = this.#now()
    const job: SwapJob = {
      id: this.#newId(),
      ...req,
      warnings: [...(req.warnings ?? [])],
      state: 'draining',
      started_at_ms: at,
      finished_at_ms: null,
      transitions: [{ state: 'draining', at_ms: at }],
      error: null,
      log_excerpt: null,
      rollback: null,
      cancel_requested: false,
    }
    this.#current = job
    return { kind: 'started', job }
  }

  move(id: string, state: SwapState): SwapJob {
    const job = this.#running(id)
    if (!NEXT[job.state].includes(state)) throw new Error(`swap ${id}: ${job.state} → ${state} not allowed`)
    if (state === 'rolling-back' && job.rollback) throw new Error(`swap ${id}: already rolled back once`)
    job.state = state
    job.transitions.push({ state, at_ms: this.#now() })
    return job
  }

  fail(id: string, error: string, logExcerpt: string | null = null): SwapJob {
    const job = this.#running(id)
    job.error = error
    if (logExcerpt) job.log_excerpt = logExcerpt
    if (job.state !== 'failed') this.move(id, 'failed')
    return job
  }

  /** Marks the request; the engine aborts its work and then calls `finish` with `cancelled`. */
  requestCancel(): SwapJob | null {
    if (!this.#current) return null
    this.#current.cancel_requested = true
    return this.#current
  }

  /** Ends the running job in its current state (must be terminal) and files it. */
  finish(id: string): SwapJob {
    const job = this.#running(id)
    if (!isTerminal(job.state)) throw new Error(`swap ${id}: cannot finish in ${job.state}`)
    job.finished_at_ms = this.#now()
    this.#current = null
    this.#finished.unshift(job)
    this.#finished.length = Math.min(this.#finished.length, this.#keep)
    return job
  }

  #running(id: string): SwapJob {
    if (this.#current?.id !== id) throw new Error(`swap ${id} is not the running swap`)
    return this.#current
  }
}

/** Milliseconds spent in each state (a state entered twice, e.g. during rollback, adds up). */
export function stateDurations(job: SwapJob, nowMs: number): Record<string, number> {
  const out: Record<string, number> = {}
  job.transitions.forEach((t, i) => {
    const end = job.transitions[i + 1]?.at_ms ?? job.finished_at_ms ?? nowMs
    if (isTerminal(t.state)) return
    out[t.state] = (out[t.state] ?? 0) + Math.max(0, end - t.at_ms)
  })
  return out
}
