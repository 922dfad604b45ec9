/**
 * The closed-loop sweep: for each concurrency level in order, `c` workers each send the target's
 * fixed input back to back — through a warm-up (not measured: queues fill, connections open) and
 * then the measured cell — while `/health` is timed in parallel every ~250 ms (the "blip": a loaded
 * backend that answers health late looks dead to a monitor). Levels run one after another, never
 * overlapping. It stops early when a level's error rate passes the limit (a wedge, a 503 storm) or
 * its p95 latency passes the ceiling, and it is bounded in time and in requests kept per level.
 */
import type { SweepCell } from '../../../../../shared/contracts/swap-controller.ts'
import type { SweepBackend, SweepClock } from './ports.ts'
import { cellOf, commonError, type RequestRecord, type Window } from './stats.ts'

export interface SweepLimits {
  /** A level whose share of failed requests is above this stops the sweep (0.05 = 5 %). */
  maxErrorRate: number
  /** A level whose p95 latency is above this stops the sweep. */
  p95CeilingMs: number
  /** How often `/health` is timed during a cell. */
  healthIntervalMs: number
  /** Requests kept per level; workers stop sending beyond it (a bound on memory, not a target). */
  maxRequestsPerLevel: number
  /** The whole sweep's budget; a level that would not fit in what is left does not start. */
  maxTotalMs: number
  /** A worker's pause after a failed request, so a backend refusing at once is not hammered in a hot loop. */
  errorPauseMs: number
}

export const DEFAULT_LIMITS: Omit<SweepLimits, 'maxTotalMs'> = {
  maxErrorRate: 0.05,
  p95CeilingMs: 120_000,
  healthIntervalMs: 250,
  maxRequestsPerLevel: 100_000,
  errorPauseMs: 100,
}

export interface SweepPlan {
  levels: readonly number[]
  warmupMs: number
  cellMs: number
}

export interface RunOptions extends SweepPlan {
  backend: SweepBackend
  clock: SweepClock
  limits?: Partial<SweepLimits>
  /** Called after each level with the cells so far (the running result is saved from it). */
  onCell?: (cells: readonly SweepCell[]) => void
  signal?: AbortSignal
}

export interface RunOutcome {
  cells: SweepCell[]
  stoppedEarly: string | null
  cancelled: boolean
}

/** Without a budget: every level's warm-up and cell twice over (waits for slow answers), plus a minute. */
export const defaultBudgetMs = (plan: SweepPlan) =>
  plan.levels.length * (plan.warmupMs + plan.cellMs) * 2 + 60_000

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`

export async function runSweep(options: RunOptions): Promise<RunOutcome> {
  const limits: SweepLimits = { ...DEFAULT_LIMITS, maxTotalMs: defaultBudgetMs(options), ...options.limits }
  const { clock } = options
  const startedAt = clock.now()
  const cells: SweepCell[] = []
  for (const level of options.levels) {
    if (options.signal?.aborted) return { cells, stoppedEarly: null, cancelled: true }
    const left = limits.maxTotalMs - (clock.now() - startedAt)
    if (left < options.warmupMs + options.cellMs)
      return {
        cells,
        stoppedEarly: `the sweep's time budget ran out before concurrency ${level}`,
        cancelled: false,
      }
    const { cell, records } = await runLevel(level, options, limits)
    if (options.signal?.aborted) return { cells, stoppedEarly: null, cancelled: true }
    cells.push(cell)
    options.onCell?.(cells)
    const why = stopReason(cell, records, limits)
    if (why) return { cells, stoppedEarly: why, cancelled: false }
  }
  return { cells, stoppedEarly: null, cancelled: false }
}

function stopReason(cell: SweepCell, records: readonly RequestRecord[], limits: SweepLimits): string | null {
  const c = cell.concurrency
  if (cell.requests === 0) return `no request started and finished at concurrency ${c}`
  if (cell.error_rate > limits.maxErrorRate)
    return (
      `${percent(cell.error_rate)} of requests failed at concurrency ${c} (more than ` +
      `${percent(limits.maxErrorRate)}; mostly ${commonError(records)})`
    )
  if (cell.p95_ms !== null && cell.p95_ms > limits.p95CeilingMs)
    return `p95 latency ${Math.round(cell.p95_ms)} ms at concurrency ${c} is above the ${limits.p95CeilingMs} ms ceiling`
  return null
}

async function runLevel(concurrency: number, options: RunOptions, limits: SweepLimits) {
  const { clock, backend } = options
  const stop = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal
  const from = clock.now() + options.warmupMs
  const window: Window = { from, to: from + options.cellMs }
  const records: RequestRecord[] = []
  const worker = async () => {
    while (!signal.aborted && clock.now() < window.to && records.length < limits.maxRequestsPerLevel) {
      const start = clock.now()
      const result = await backend
        .send(signal)
        .catch((err: Error): { ok: false; status: null; error: string } => ({
          ok: false,
          status: null,
          error: err.message,
        }))
      if (signal.aborted) return
      records.push({ start, end: clock.now(), ...result })
      if (!result.ok) await clock.sleep(limits.errorPauseMs, signal).catch(() => {})
    }
  }
  const healthMs: number[] = []
  const sampler = async () => {
    await clock.sleep(Math.max(0, window.from - clock.now()), signal).catch(() => {})
    while (!signal.aborted && clock.now() < window.to) {
      const start = clock.now()
      await backend.health(signal).catch(() => false)
      if (signal.aborted) return
      healthMs.push(clock.now() - start)
      const wait = Math.min(limits.healthIntervalMs - (clock.now() - start), window.to - clock.now())
      if (wait > 0) await clock.sleep(wait, signal).catch(() => {})
    }
  }
  try {
    await Promise.all([...Array.from({ length: concurrency }, worker), sampler()])
  } finally {
    stop.abort()
  }
  return { cell: cellOf(concurrency, records, healthMs, window), records }
}
