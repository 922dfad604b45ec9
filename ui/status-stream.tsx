/**
 * The overview's live feed: an SSE stream of htmx-ready HTML fragments.
 *
 * Two events, because the summary lives in an `aria-live` region: re-sending identical text there
 * would make a screen reader repeat "Everything is working" every two seconds. So
 * - `status` (summary, loaded model, what is busy) goes out on connect and then only when it changes;
 * - `cards` (every card, with its "checked … ago") goes out on connect and on every tick.
 * The loop ends when the client goes away or the process shuts down, and leaves no timer behind.
 */
import type { Context } from 'hono'
import { type SSEStreamingApi, streamSSE } from 'hono/streaming'
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import type { Logger } from '../shared/logger.ts'
import type { AppEnv } from '../shared/service.ts'
import { StatusCards } from './components/status-cards.tsx'
import { StatusSummary } from './components/status-summary.tsx'
import type { DeliberateStop } from './components/stopped.ts'
import { type GetStatus, readStatus, type StatusView } from './status-source.ts'

export interface StreamDeps {
  getStatus: GetStatus
  simulated: boolean
  logger: Logger
  shutdown: AbortSignal
  intervalMs: number
  timeoutMs: number
  now: () => Date
  /** Called once when the stream has ended, whatever ended it. */
  onEnd?: () => void
  /** Whether the chat model was stopped on purpose (the swap-controller's audit); absent = never said. */
  stopInfo?: (view: StatusView, signal: AbortSignal) => Promise<DeliberateStop | null>
}

/** Renders a (synchronous) Hono JSX tree to its HTML string. */
export async function toHtml(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString())
}

export const renderSummary = (view: StatusView, simulated: boolean, stopped: DeliberateStop | null = null) =>
  toHtml(<StatusSummary view={view} simulated={simulated} stopped={stopped} />)

export const renderCards = (view: StatusView, now: Date, stopped: DeliberateStop | null = null) =>
  toHtml(<StatusCards view={view} now={now} stopped={stopped} />)

/** Sleeps, but wakes at once when `signal` aborts; the timer never outlives the wait. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Browsers reconnect an EventSource after this many ms when the stream ends (e.g. a restart). */
const RECONNECT_MS = 3000

export function streamStatus(c: Context<AppEnv>, deps: StreamDeps): Response {
  const log = c.var.log ?? deps.logger
  return streamSSE(c, async (stream) => {
    const stop = new AbortController()
    const end = () => stop.abort()
    deps.shutdown.addEventListener('abort', end, { once: true })
    c.req.raw.signal.addEventListener('abort', end, { once: true })
    stream.onAbort(end)
    if (deps.shutdown.aborted || c.req.raw.signal.aborted) end()
    try {
      await feed(stream, stop.signal, deps, log)
    } finally {
      deps.shutdown.removeEventListener('abort', end)
      c.req.raw.signal.removeEventListener('abort', end)
      deps.onEnd?.()
    }
  })
}

async function feed(stream: SSEStreamingApi, signal: AbortSignal, deps: StreamDeps, log: Logger) {
  let lastSummary = ''
  let lastGood: ClusterStatus | undefined
  let failing = false
  let first = true
  while (!signal.aborted) {
    const read = await nextView(deps, signal, lastGood)
    const stopped = deps.stopInfo ? await deps.stopInfo(read.view, signal).catch(() => null) : null
    if (signal.aborted) break
    const { summary, cards, shown } = await render(read.view, deps, lastGood, log, stopped)
    if (shown && read.view.ok) lastGood = read.view.status
    // Log the change, not every tick: a gateway down for an hour should not write 1800 lines.
    if (!shown && !failing) log.warn({ reason: read.reason }, 'dashboard: cluster status unavailable')
    if (shown && failing) log.info('dashboard: cluster status is back')
    failing = !shown
    if (summary !== lastSummary) {
      await stream.writeSSE({ event: 'status', data: summary, retry: first ? RECONNECT_MS : undefined })
      lastSummary = summary
    }
    await stream.writeSSE({ event: 'cards', data: cards })
    first = false
    await pause(deps.intervalMs, signal)
  }
}

async function nextView(deps: StreamDeps, signal: AbortSignal, lastGood?: ClusterStatus) {
  try {
    const view: StatusView = { ok: true, status: await readStatus(deps.getStatus, signal, deps.timeoutMs) }
    return { view, reason: undefined }
  } catch (err) {
    const view: StatusView = { ok: false, lastGood }
    return { view, reason: err instanceof Error ? err.message : String(err) }
  }
}

/**
 * Renders one view. A status without the expected shape must neither end the stream nor show a
 * stack trace: it falls back to the "cannot reach" notice, like any other failure.
 */
export async function render(
  view: StatusView,
  deps: Pick<StreamDeps, 'simulated' | 'now'>,
  lastGood: ClusterStatus | undefined,
  log: Logger,
  stopped: DeliberateStop | null = null,
) {
  const attempt = async (v: StatusView) => ({
    summary: await renderSummary(v, deps.simulated, stopped),
    cards: await renderCards(v, deps.now(), stopped),
  })
  try {
    return { ...(await attempt(view)), shown: view.ok }
  } catch (err) {
    log.warn({ reason: (err as Error).message }, 'dashboard: status could not be rendered')
  }
  try {
    return { ...(await attempt({ ok: false, lastGood })), shown: false }
  } catch {
    return { ...(await attempt({ ok: false })), shown: false }
  }
}
