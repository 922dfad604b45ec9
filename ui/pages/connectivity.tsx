/**
 * Connectivity: is every Spark, upstream and service reachable now, when was each one not, and how
 * reliable has each been. Filled in on the server, so it is right without JavaScript; with it, the
 * page's feed redraws the live parts whenever the monitor reports a change (and every few seconds
 * for the "for 3 min" words), and falls back to asking now and then while the feed is away.
 */
import type { Child } from 'hono/jsx'
import { Placeholder } from '../components/placeholder.tsx'
import { type ConnectivityData, LiveParts } from '../connectivity/live.tsx'
import { WindowForm, WindowList } from '../connectivity/maintenance.tsx'
import { CONNECTIVITY_EVENT, CONNECTIVITY_PATHS, liveUrl } from '../connectivity/paths.ts'
import { UptimePanel } from '../connectivity/uptime.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'

/** How often an open page asks again when its feed is away (the feed itself pushes changes). */
export const FALLBACK_POLL_S = 30

export function ConnectivityPage({
  chrome,
  data,
  confirm,
}: {
  chrome: Chrome
  data: ConnectivityData
  confirm?: Child
}) {
  const targets = data.targets?.targets ?? null
  return (
    <Layout title="Connectivity" current="connectivity" chrome={chrome}>
      <h1>Connectivity</h1>
      <p id="connection" class="notice notice-warn" role="status" hidden>
        Live updates paused — reconnecting. What you see below may be out of date.
      </p>
      <noscript>
        <p class="notice">
          Live updates need JavaScript. <a href={CONNECTIVITY_PATHS.page}>Reload the page</a> to see the
          latest state.
        </p>
      </noscript>
      <div class="live" hx-ext="sse" sse-connect={liveUrl(CONNECTIVITY_PATHS.events, data.range)}>
        <div hidden sse-swap={CONNECTIVITY_EVENT} hx-swap="none"></div>
        <div
          hidden
          hx-get={liveUrl(CONNECTIVITY_PATHS.live, data.range)}
          hx-trigger={`every ${FALLBACK_POLL_S}s`}
          hx-swap="none"
        ></div>
        <LiveParts data={data} simulated={chrome.simulated} />
      </div>
      <section aria-labelledby="conn-uptime-h">
        <h2 id="conn-uptime-h">Uptime</h2>
        <UptimePanel uptime={data.uptime} targets={targets} />
      </section>
      <section aria-labelledby="conn-maint-h">
        <h2 id="conn-maint-h">Planned maintenance</h2>
        <p class="muted">
          While a window lasts its targets show as under maintenance, never as down: no outage is logged and
          no alert is sent. A model switch opens one on vLLM by itself.
        </p>
        <WindowList windows={data.windows} targets={targets} now={data.now} />
        <div id="conn-confirm">{confirm ?? null}</div>
        {data.targets ? <WindowForm targets={targets} now={data.now} kept={data.kept} /> : null}
      </section>
    </Layout>
  )
}

/** The page of a dashboard built without the monitor (a test, or a gateway without it). */
export function ConnectivityPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Connectivity" current="connectivity" chrome={chrome}>
      <Placeholder title="Connectivity">
        <p>The connectivity monitor is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
