/**
 * What the overview shows of the chat model, read from the swap-controller in one go: the card,
 * the lock, the switch form and a running switch (with the newest lines of the model's log).
 * Each read that fails is null: the part it feeds says "not available right now".
 */
import { deliberateStop, MODEL_CHANGES, STOP_HISTORY, switchInProgress } from '../components/stopped.ts'
import { switchBlock } from '../swap/blocked.ts'
import { withoutHealthPolls } from '../swap/log-filter.ts'
import type { SwapSource } from '../swap/source.ts'

export async function overviewSwapData(swap: SwapSource, signal: AbortSignal, now: Date = new Date()) {
  const none = () => null
  const [state, telemetry, catalog, lock, history] = await Promise.all([
    swap.state(signal).catch(none),
    swap.telemetry(signal).catch(none),
    swap.catalog(signal).catch(none),
    swap.lock(signal).catch(none),
    swap.history(STOP_HISTORY, signal, MODEL_CHANGES).catch(none),
  ])
  const running = state?.job?.outcome === 'running'
  const logs = running
    ? withoutHealthPolls(await swap.recentLogs(36, signal).catch(() => []), false).lines.slice(-12)
    : []
  return {
    card: { state, telemetry },
    progress: { state, logs, stopped: running ? null : deliberateStop(history) },
    models: catalog?.models ?? null,
    lock,
    block: switchBlock(state, lock, now),
    stopped: switchInProgress(state?.job) ?? deliberateStop(history),
  }
}
export type OverviewSwapData = Awaited<ReturnType<typeof overviewSwapData>>
