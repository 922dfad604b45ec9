/**
 * One progress bar for a model start-up that may span several nodes (head + workers) and, in Ray
 * mode, several ranks inside the head's log. Each source (a node, or a Ray worker seen in a node's
 * log) moves through the phases on its own; the cluster is in the furthest phase any source has
 * reached (only the head prints the API-server milestones), and within that phase it is as far as
 * the slowest source that reports a percentage there (every rank must finish its shards). The
 * overall percentage never goes backwards.
 */
import { type LogEvent, parseLogLine, rayWorkerOf } from './log-line.ts'
import {
  DEFAULT_PHASE_WEIGHTS,
  FAILURE_KINDS,
  type FailureKind,
  PHASES,
  type Phase,
  type PhaseWeights,
  phaseIndex,
} from './phases.ts'

export interface ProgressTrackerOptions {
  /** Share of the bar per phase (any scale; missing phases keep their default). */
  weights?: Partial<PhaseWeights>
  /** When the launch began (ms since the epoch); default now. */
  startedAtMs?: number
  now?: () => number
}

export interface PhaseTiming {
  phase: Phase
  started_at_ms: number
  /** Null for the current phase. Phases the log skipped start and end at the same moment. */
  ended_at_ms: number | null
}

export interface ProgressFailure {
  kind: FailureKind
  node: string
  detail: string
  at_ms: number
}

export interface ProgressSnapshot {
  phase: Phase
  /** Within the current phase, where the log gives one (shards, CUDA graphs); else null. */
  phase_percent: number | null
  /** Overall, 0–100, weighted by phase. */
  percent: number
  started_at_ms: number
  phase_started_at_ms: number
  phases: PhaseTiming[]
  failure: ProgressFailure | null
  /** Per source (`node` or `node/<ray worker ip>`). */
  sources: Record<string, { phase: Phase; percent: number | null }>
  at_ms: number
}

/** Durations in seconds, the shape the swap history stores and `estimateEta` reads. */
export interface LoadDurations {
  phases: Record<string, number>
  total_s: number
}

interface SourceState {
  index: number
  percent: number | null
}

/**
 * vLLM ≥ 0.10 captures two graph sets one after the other (mixed prefill-decode, then decode);
 * each bar runs 0–100 %, so each fills half of the phase. Older builds print one bar.
 */
function graphPercent(percent: number, detail: string | undefined): number {
  const d = detail ?? ''
  if (/mixed|prefill/i.test(d)) return percent / 2
  if (/decode/i.test(d)) return 50 + percent / 2
  return percent
}

export class ProgressTracker {
  readonly #weights: PhaseWeights
  readonly #now: () => number
  readonly #started: number
  readonly #sources = new Map<string, SourceState>()
  readonly #timings: PhaseTiming[]
  #index = 0
  #percent = 0
  #failure: ProgressFailure | null = null

  constructor(options: ProgressTrackerOptions = {}) {
    this.#weights = { ...DEFAULT_PHASE_WEIGHTS, ...options.weights }
    this.#now = options.now ?? Date.now
    this.#started = options.startedAtMs ?? this.#now()
    this.#timings = [{ phase: 'container', started_at_ms: this.#started, ended_at_ms: null }]
  }

  /** Parses one line of `node`'s container log and applies it; returns what it meant, if anything. */
  push(node: string, line: string, atMs = this.#now()): LogEvent | null {
    const event = parseLogLine(line)
    if (!event) return null
    const worker = rayWorkerOf(line)
    this.apply(worker ? `${node}/${worker}` : node, event, atMs)
    return event
  }

  apply(source: string, event: LogEvent, atMs = this.#now()): void {
    if (event.kind === 'failure') {
      this.#fail(source, event.failure, event.detail, atMs)
      return
    }
    const index = phaseIndex(event.phase)
    const raw =
      event.phase === 'cuda-graphs' && event.percent !== undefined
        ? graphPercent(event.percent, event.detail)
        : event.percent
    const state = this.#sources.get(source) ?? { index: 0, percent: null }
    if (index > state.index) this.#sources.set(source, { index, percent: raw ?? null })
    else if (index === state.index && raw !== undefined) state.percent = Math.max(state.percent ?? 0, raw)
    if (!this.#sources.has(source)) this.#sources.set(source, state)
    this.#advance(Math.max(...[...this.#sources.values()].map((s) => s.index)), atMs)
  }

  get phase(): Phase {
    return PHASES[this.#index]!
  }

  get failure(): ProgressFailure | null {
    return this.#failure
  }

  snapshot(): ProgressSnapshot {
    const current = this.#timings[this.#timings.length - 1]!
    return {
      phase: this.phase,
      phase_percent: this.#phasePercent(),
      percent: Math.round(this.#percent * 10) / 10,
      started_at_ms: this.#started,
      phase_started_at_ms: current.started_at_ms,
      phases: this.#timings.map((t) => ({ ...t })),
      failure: this.#failure ? { ...this.#failure } : null,
      sources: Object.fromEntries(
        [...this.#sources].map(([k, s]) => [k, { phase: PHASES[s.index]!, percent: s.percent }]),
      ),
      at_ms: this.#now(),
    }
  }

  /** Seconds per phase so far (the current one until now), and the total until ready (or now). */
  durations(atMs = this.#now()): LoadDurations {
    const phases: Record<string, number> = {}
    for (const t of this.#timings) {
      if (t.phase === 'ready') continue
      phases[t.phase] = Math.max(0, ((t.ended_at_ms ?? atMs) - t.started_at_ms) / 1000)
    }
    const ready = this.#timings.find((t) => t.phase === 'ready')
    return { phases, total_s: Math.max(0, ((ready?.started_at_ms ?? atMs) - this.#started) / 1000) }
  }

  #fail(source: string, kind: FailureKind, detail: string, atMs: number) {
    const node = source.split('/')[0]!
    const known = this.#failure
    if (!known || FAILURE_KINDS.indexOf(kind) < FAILURE_KINDS.indexOf(known.kind)) {
      this.#failure = { kind, node, detail, at_ms: atMs }
    }
  }

  #advance(index: number, atMs: number) {
    while (this.#index < index) {
      this.#timings[this.#timings.length - 1]!.ended_at_ms = atMs
      this.#index++
      this.#timings.push({ phase: PHASES[this.#index]!, started_at_ms: atMs, ended_at_ms: null })
    }
    this.#percent = Math.max(this.#percent, this.#overall())
  }

  #phasePercent(): number | null {
    const here = [...this.#sources.values()].filter((s) => s.index === this.#index && s.percent !== null)
    return here.length === 0 ? null : Math.min(...here.map((s) => s.percent!))
  }

  #overall(): number {
    if (this.phase === 'ready') return 100
    const total = PHASES.reduce((sum, p) => sum + this.#weights[p], 0)
    if (total <= 0) return 0
    const done = PHASES.slice(0, this.#index).reduce((sum, p) => sum + this.#weights[p], 0)
    const within = (this.#weights[this.phase] * (this.#phasePercent() ?? 0)) / 100
    return ((done + within) / total) * 100
  }
}
