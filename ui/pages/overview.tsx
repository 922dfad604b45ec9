/**
 * The overview: the page the owner opens. It arrives already filled in (the server reads the
 * status before answering), then the SSE stream keeps both regions current without a reload.
 */
import { StatusCards } from '../components/status-cards.tsx'
import { StatusSummary } from '../components/status-summary.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import type { StatusView } from '../status-source.ts'
import { LockBanner } from '../swap/lock-banner.tsx'
import { ModelCard, SwitchForm } from '../swap/model-card.tsx'
import { SwapNotice, SwapProgress } from '../swap/progress.tsx'
import type { OverviewSwapData } from '../swap/routes.tsx'

export const STATUS_EVENTS_PATH = '/ui/events/status'

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
        <section aria-labelledby="now-h">
          <h2 id="now-h" class="visually-hidden">
            Cluster status
          </h2>
          <div id="live-summary" sse-swap="status" aria-live="polite" aria-atomic="true">
            <StatusSummary view={view} simulated={chrome.simulated} stopped={swap?.stopped} />
          </div>
        </section>
        {swap ? <ChatModel swap={swap} now={now} /> : null}
        <div id="status-cards" sse-swap="cards">
          <StatusCards view={view} now={now} stopped={swap?.stopped} />
        </div>
      </div>
    </Layout>
  )
}

/** The chat model, how busy it is, and the way to switch it — outside the SSE region's swaps. */
function ChatModel({ swap, now }: { swap: OverviewSwapData; now: Date }) {
  return (
    <section class="chat-model" aria-label="Chat model">
      <LockBanner lock={swap.lock} now={now} />
      <ModelCard data={swap.card} />
      <SwitchForm models={swap.models} block={swap.block} />
      <div id="swap-confirm"></div>
      <SwapNotice notice={null} />
      <SwapProgress data={swap.progress} />
    </section>
  )
}
