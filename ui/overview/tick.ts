/**
 * One read of everything the overview says about the cluster and a switch: the gateway's status
 * and the swap-controller's state, card, progress, lock and switch form, taken together. The
 * overview renders each refresh from exactly one of these, so its parts cannot describe different
 * moments.
 *
 * The status and the swap state come from two places. At the edges of a switch one can be a moment
 * behind the other (the switch started between the two reads; the gateway's readiness probes are
 * cached for about a second and predate the new model answering). Such a read is taken again a
 * little later instead of being shown; the page keeps its last consistent picture meanwhile.
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import type { DeliberateStop } from '../components/stopped.ts'
import { type GetStatus, readStatus, type StatusView } from '../status-source.ts'
import type { SwapSource } from '../swap/source.ts'
import { pause } from '../wake.ts'
import { type OverviewSwapData, overviewSwapData } from './swap-data.ts'

export interface OverviewTick {
  view: StatusView
  /** Null when the dashboard runs without the swap-controller. */
  swap: OverviewSwapData | null
  stopped: DeliberateStop | null
}

export interface TickSources {
  getStatus: GetStatus
  swap?: SwapSource
  /** Budget of one status read, and of the swap-controller's reads beside it. */
  timeoutMs: number
  /** How long a read that disagrees with itself is retried before it is shown anyway. */
  settleMs: number
  now: () => Date
}

/** How soon a switch that ended counts as "just now" (its model may not be in the status yet). */
const JUST_SWITCHED_MS = 15_000
const RETRY_MS = 250

/** Whether the status and the swap state tell the same story about the switch. */
export function agrees(tick: OverviewTick, now: Date): boolean {
  const state = tick.swap?.card.state
  if (!tick.view.ok || !state) return true
  const job = state.job
  const running = job?.outcome === 'running' ? job.job_id : null
  if (running !== (tick.view.status.switching?.job_id ?? null)) return false
  if (job?.outcome !== 'ready' || !job.finished_at) return true
  const justNow = now.getTime() - Date.parse(job.finished_at) < JUST_SWITCHED_MS
  return !justNow || tick.view.status.loaded_model === job.model
}

export async function readStatusView(
  getStatus: GetStatus,
  signal: AbortSignal,
  timeoutMs: number,
  lastGood?: ClusterStatus,
): Promise<{ view: StatusView; reason?: string }> {
  try {
    return { view: { ok: true, status: await readStatus(getStatus, signal, timeoutMs) } }
  } catch (err) {
    return { view: { ok: false, lastGood }, reason: err instanceof Error ? err.message : String(err) }
  }
}

async function readOnce(src: TickSources, signal: AbortSignal, lastGood?: ClusterStatus) {
  const bounded = AbortSignal.any([signal, AbortSignal.timeout(src.timeoutMs)])
  const [status, swap] = await Promise.all([
    readStatusView(src.getStatus, signal, src.timeoutMs, lastGood),
    src.swap ? overviewSwapData(src.swap, bounded, src.now()) : null,
  ])
  const tick: OverviewTick = { view: status.view, swap, stopped: swap?.stopped ?? null }
  return { tick, reason: status.reason }
}

/** Reads until status and swap state agree, or `settleMs` has passed (then the last read stands). */
export async function readOverviewTick(
  src: TickSources,
  signal: AbortSignal,
  lastGood?: ClusterStatus,
): Promise<{ tick: OverviewTick; reason?: string }> {
  const started = Date.now()
  for (;;) {
    const read = await readOnce(src, signal, lastGood)
    if (signal.aborted || agrees(read.tick, src.now()) || Date.now() - started >= src.settleMs) return read
    await pause(RETRY_MS, signal)
  }
}
