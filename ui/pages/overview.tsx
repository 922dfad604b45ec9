/**
 * The overview: the page the owner opens. It arrives already filled in (the server reads the
 * status before answering), then the SSE stream keeps it current without a reload: each of its
 * events carries every live part (summary, cards, chat model card, switch progress, lock, switch
 * form), rendered from one read, so the page never shows two moments at once. Those parts do not
 * refresh themselves here (`live={false}`), unlike on the swap page.
 */
import { StatusCards } from '../components/status-cards.tsx'
import { StatusSummary } from '../components/status-summary.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import type { OverviewSwapData } from '../overview/swap-data.ts'
import type { StatusView } from '../status-source.ts'
import { LockBanner } from '../swap/lock-banner.tsx'
import { ModelCard, SwitchForm } from '../swap/model-card.tsx'
import { SwapNotice, SwapProgress } from '../swap/progress.tsx'

export const STATUS_EVENTS_PATH = '/ui/events/status'
export const OVERVIEW_EVENT = 'overview'

export function OverviewPage(props: {
  chrome: Chrome
  view: StatusView
  now: Date
  swap?: OverviewSwapData | null
}) {
  const { chrome, view, now, swap } = props
  return (
    <Layout title="Overview" current="overview" chrome={chrome}>
      <h1>Overview</h1>
      <p id="connection" class="notice notice-warn" role="status" hidden>
        Live updates paused — reconnecting. What you see below may be out of date.
      </p>
      {/* Without JavaScript nothing streams, so say how to refresh instead of looking live. */}
      <noscript>
        <p class="notice">Live updates need JavaScript. Reload the page to see the latest state.</p>
      </noscript>
      <div class="live" hx-ext="sse" sse-connect={STATUS_EVENTS_PATH}>
        {/* Receives each event; its parts find their places by id (out-of-band swaps). */}
        <div hidden sse-swap={OVERVIEW_EVENT} hx-swap="none"></div>
        <section aria-labelledby="now-h">
          <h2 id="now-h" class="visually-hidden">
            Cluster status
          </h2>
          <div id="live-summary" aria-live="polite" aria-atomic="true">
            <StatusSummary view={view} simulated={chrome.simulated} stopped={swap?.stopped} />
          </div>
        </section>
        {swap ? <ChatModel swap={swap} now={now} /> : null}
        <div id="status-cards">
          <StatusCards view={view} now={now} stopped={swap?.stopped} />
        </div>
      </div>
    </Layout>
  )
}

/** The chat model, how busy it is, and the way to switch it; the feed refreshes all but the confirmation. */
function ChatModel({ swap, now }: { swap: OverviewSwapData; now: Date }) {
  return (
    <section class="chat-model" aria-label="Chat model">
      <LockBanner lock={swap.lock} now={now} live={false} />
      <ModelCard data={swap.card} live={false} />
      <SwitchForm models={swap.models} block={swap.block} live={false} />
      <div id="swap-confirm"></div>
      <SwapNotice notice={null} />
      <SwapProgress data={swap.progress} live={false} />
    </section>
  )
}
