/**
 * Watches the swap-controller for a swap in progress: a swap reloads vLLM, so while it runs vLLM
 * is under maintenance (domain/maintenance). Polls `GET <url>/api/swap/state` (docs/SWAP_API.md),
 * read with the swap-controller's contract. `idle` and the ended statuses mean no swap; any other
 * status is a running job. When the controller does not answer, the last state is kept for
 * STALE_AFTER_MS (a restart of the controller is not the end of a swap), then no swap is assumed:
 * a window that never closes would hide a real vLLM outage for good.
 */
import { sleep } from '../../../shared/abort.ts'
import { type SwapStateView, stateSchema } from '../../../shared/contracts/swap-controller.ts'
import { callJson } from '../../../shared/http-client.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { Maintenance } from '../domain/ports.ts'

/** How long the last answer stands while the controller is away. */
export const STALE_AFTER_MS = 30_000
const ENDED = new Set(['idle', 'ready', 'failed', 'cancelled'])

export interface SwapWatchOptions {
  /** The swap-controller's base URL (SWAP_CONTROLLER_URL). */
  url: string
  maintenance: Pick<Maintenance, 'setSwap'>
  logger: Logger
  intervalMs?: number
  timeoutMs?: number
  staleAfterMs?: number
  now?: () => number
}

export interface SwapWatch {
  stop(): Promise<void>
}

/** What the maintenance window says about a running swap: the recipe and where it is, or null for none. */
export function swapDetail(view: SwapStateView): string | null {
  if (ENDED.has(view.state)) return null
  const job = view.job
  return job ? `${job.recipe} (${view.state})` : view.state
}

export function watchSwaps(options: SwapWatchOptions): SwapWatch {
  const { maintenance } = options
  const intervalMs = options.intervalMs ?? 1000
  const timeoutMs = options.timeoutMs ?? Math.min(2000, Math.max(200, intervalMs))
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS
  const now = options.now ?? Date.now
  const log = options.logger.child({ component: 'swap-watch' })
  const stateUrl = new URL('/api/swap/state', options.url).toString()
  const stop = new AbortController()
  let detail: string | null = null
  let lastAnswerAt = now()
  let away = false

  function set(next: string | null) {
    if (next === detail) return
    log.info(
      { swap: next },
      next === null ? 'no swap running: vllm out of maintenance' : 'swap running: vllm under maintenance',
    )
    detail = next
    maintenance.setSwap(next, now())
  }

  async function poll() {
    try {
      const res = await callJson(stateUrl, { service: 'swap-controller', timeoutMs, signal: stop.signal })
      const parsed = stateSchema.safeParse(res.body)
      if (res.status !== 200 || !parsed.success)
        throw new Error(`answered HTTP ${res.status} with no swap state`)
      lastAnswerAt = now()
      if (away) log.info('swap-controller answers again')
      away = false
      set(swapDetail(parsed.data))
    } catch (err) {
      if (stop.signal.aborted) return
      if (!away)
        log.warn(
          { why: (err as Error).message },
          'swap-controller does not answer; keeping the last swap state for now',
        )
      away = true
      if (detail !== null && now() - lastAnswerAt >= staleAfterMs) set(null)
    }
  }

  const loop = (async () => {
    while (!stop.signal.aborted) {
      await poll()
      await sleep(intervalMs, { signal: stop.signal }).catch(() => undefined)
    }
  })()

  return {
    async stop() {
      stop.abort()
      await loop
    },
  }
}
