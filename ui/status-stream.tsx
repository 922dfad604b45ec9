/**
 * The overview's live feed: an SSE stream of htmx-ready HTML, one `overview` event per tick.
 *
 * Each tick reads everything once (`read`) and renders every live part of the page from that read
 * (`parts`), sent together as out-of-band swaps in that one event: the browser applies them in one
 * go, so the summary, the busy line, the cards, the chat model card and a switch's progress never
 * describe different moments. Parts that must not be re-sent needlessly (the summary sits in an
 * `aria-live` region; a screen reader would repeat "Everything is working" every two seconds) go
 * out only when they change. The loop ends when the client goes away or the process shuts down,
 * and leaves no timer behind; a click that changes something wakes it early (`wake`).
 */
import type { Context } from 'hono'
import type { SSEStreamingApi } from 'hono/streaming'
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import type { Logger } from '../shared/logger.ts'
import type { AppEnv } from '../shared/service.ts'
import { StatusCards } from './components/status-cards.tsx'
import { StatusSummary } from './components/status-summary.tsx'
import type { DeliberateStop } from './components/stopped.ts'
import type { OverviewPart } from './overview/parts.tsx'
import type { OverviewTick } from './overview/tick.ts'
import { OVERVIEW_EVENT } from './pages/overview.tsx'
import type { StatusView } from './status-source.ts'
import { streamUntilGone } from './stream-until-gone.ts'
import { pause, type Wake } from './wake.ts'

export interface StreamDeps {
  /** One consistent read of everything the overview shows. */
  read: (signal: AbortSignal, lastGood?: ClusterStatus) => Promise<{ tick: OverviewTick; reason?: string }>
  /** Every live part of the page, rendered from one read. */
  parts: (
    tick: OverviewTick,
    lastGood: ClusterStatus | undefined,
    log: Logger,
  ) => Promise<{ parts: OverviewPart[]; shown: boolean }>
  logger: Logger
  shutdown: AbortSignal
  intervalMs: number
  /** Notified when a click changed something: the feed reads again at once. */
  wake?: Wake
  /** Called once when the stream has ended, whatever ended it. */
  onEnd?: () => void
}

/** Renders a (synchronous) Hono JSX tree to its HTML string. */
export async function toHtml(node: unknown): Promise<string> {
  return String(await (node as { toString(): string | Promise<string> }).toString())
}

export const renderSummary = (view: StatusView, simulated: boolean, stopped: DeliberateStop | null = null) =>
  toHtml(<StatusSummary view={view} simulated={simulated} stopped={stopped} />)

export const renderCards = (view: StatusView, now: Date, stopped: DeliberateStop | null = null) =>
  toHtml(<StatusCards view={view} now={now} stopped={stopped} />)

/** Browsers reconnect an EventSource after this many ms when the stream ends (e.g. a restart). */
const RECONNECT_MS = 3000

export function streamStatus(c: Context<AppEnv>, deps: StreamDeps): Response {
  const log = c.var.log ?? deps.logger
  return streamUntilGone(c, deps.shutdown, (stream, signal) => feed(stream, signal, deps, log), deps.onEnd)
}

async function feed(stream: SSEStreamingApi, signal: AbortSignal, deps: StreamDeps, log: Logger) {
  const sent = new Map<string, string>()
  let lastGood: ClusterStatus | undefined
  let failing = false
  let first = true
  while (!signal.aborted) {
    const seen = deps.wake?.generation
    const { tick, reason } = await deps.read(signal, lastGood)
    if (signal.aborted) break
    const { parts, shown } = await deps.parts(tick, lastGood, log)
    if (shown && tick.view.ok) lastGood = tick.view.status
    // Log the change, not every tick: a gateway down for an hour should not write 1800 lines.
    if (!shown && !failing) log.warn({ reason }, 'dashboard: cluster status unavailable')
    if (shown && failing) log.info('dashboard: cluster status is back')
    failing = !shown
    const data = overviewMessage(parts, sent)
    await stream.writeSSE({ event: OVERVIEW_EVENT, data, retry: first ? RECONNECT_MS : undefined })
    first = false
    await pause(deps.intervalMs, signal, deps.wake, seen)
  }
}

/**
 * The event's data: every part that is due. `sent` remembers what this stream last sent of each
 * part, so a part sent only on change is left alone while it stays the same.
 */
function overviewMessage(parts: OverviewPart[], sent: Map<string, string>): string {
  const due = parts.filter((p) => !p.onChange || sent.get(p.id) !== p.html)
  for (const p of due) sent.set(p.id, p.html)
  return due.map((p) => p.html).join('\n')
}

/**
 * Renders one view. A status without the expected shape must neither end the stream nor show a
 * stack trace: it falls back to the "cannot reach" notice, like any other failure.
 */
export async function render(
  view: StatusView,
  deps: { simulated: boolean; now: () => Date },
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
