/**
 * The overview's live parts, rendered together from one read, as htmx out-of-band swaps: the feed
 * sends them in ONE event, so the browser applies them in one go and no moment of the page mixes
 * two reads (the summary saying "Everything is working" beside a running switch, say).
 */
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import type { Logger } from '../../shared/logger.ts'
import { render, toHtml } from '../status-stream.tsx'
import { LockBanner } from '../swap/lock-banner.tsx'
import { ModelCard, SwitchForm } from '../swap/model-card.tsx'
import { SwapProgress } from '../swap/progress.tsx'
import type { OverviewTick } from './tick.ts'

export interface OverviewPart {
  id: string
  /** The element to swap in, carrying its own `hx-swap-oob`. */
  html: string
  /**
   * Sent only when it changed since the last event. The summary sits in a polite live region (a
   * screen reader would repeat it every tick); the lock's release button and the switch form's
   * choice should not be replaced under someone's click.
   */
  onChange: boolean
}

/** The region keeps its element (and live-region semantics); only its content is replaced. */
const inner = (id: string, html: string) => `<div id="${id}" hx-swap-oob="innerHTML">${html}</div>`

export async function overviewParts(
  tick: OverviewTick,
  deps: { simulated: boolean; now: () => Date },
  lastGood: ClusterStatus | undefined,
  log: Logger,
): Promise<{ parts: OverviewPart[]; shown: boolean }> {
  const { summary, cards, shown } = await render(tick.view, deps, lastGood, log, tick.stopped)
  const parts: OverviewPart[] = [
    { id: 'live-summary', html: inner('live-summary', summary), onChange: true },
    { id: 'status-cards', html: inner('status-cards', cards), onChange: false },
  ]
  const swap = tick.swap
  if (!swap) return { parts, shown }
  const now = deps.now()
  const chat = [
    ['model-card', <ModelCard data={swap.card} live={false} oob />],
    ['swap-progress', <SwapProgress data={swap.progress} live={false} oob />],
    ['lock-banner', <LockBanner lock={swap.lock} now={now} live={false} oob />],
    ['switch-form', <SwitchForm models={swap.models} block={swap.block} live={false} oob />],
  ] as const
  for (const [id, node] of chat) parts.push({ id, html: await toHtml(node), onChange: true })
  return { parts, shown }
}
