/**
 * The page's live parts, rendered from one read of the monitor: the one-line summary, whether the
 * monitor answers at all, the state table, the timeline and the outage table. The page embeds them;
 * the feed and the fallback poll send them again as out-of-band swaps, each found by its id.
 */
import { toHtml } from '../status-stream.tsx'
import type { MaintenanceFields } from './maintenance-input.ts'
import { OutagesPanel } from './outages.tsx'
import { OUTAGES_SHOWN, type RangeId } from './paths.ts'
import type { MaintenanceWindow, Outage, Targets, Uptime } from './source.ts'
import { StatesPanel, SummaryLine } from './states.tsx'
import { TimelinePanel } from './timeline.tsx'

export interface ConnectivityData {
  /** Null: the monitor did not answer (the page says so plainly). */
  targets: Targets | null
  outages: Outage[] | null
  uptime: Uptime | null
  windows: MaintenanceWindow[] | null
  range: RangeId
  now: Date
  /** What the maintenance form said last, kept when it comes back with a problem. */
  kept?: Partial<MaintenanceFields>
}

export function MonitorNotice({ reachable, oob }: { reachable: boolean; oob?: boolean }) {
  return (
    <div id="conn-monitor" hx-swap-oob={oob ? 'true' : undefined}>
      {reachable ? null : (
        <div class="notice notice-warn" role="status" data-monitor="unreachable">
          <p>
            <strong>The connectivity monitor cannot be reached right now</strong>, so this page cannot say
            which Sparks and services are up. The monitor may be stopped or restarting; the page tries again
            by itself.
          </p>
        </div>
      )}
    </div>
  )
}

/** The page's live parts, in place (`oob` false) or each as an out-of-band swap for the feed. */
function parts(data: ConnectivityData, simulated: boolean, oob: boolean) {
  const { now } = data
  const targets = data.targets?.targets ?? null
  const windows = data.windows
  return {
    monitor: <MonitorNotice reachable={data.targets !== null} oob={oob} />,
    summary: <SummaryLine targets={data.targets} windows={windows} now={now} oob={oob} />,
    states: (
      <StatesPanel targets={data.targets} windows={windows} now={now} simulated={simulated} oob={oob} />
    ),
    timeline: (
      <TimelinePanel targets={targets} outages={data.outages} range={data.range} now={now} oob={oob} />
    ),
    outages: (
      <OutagesPanel outages={data.outages} targets={targets} now={now} limit={OUTAGES_SHOWN} oob={oob} />
    ),
  }
}

export function LiveParts({ data, simulated }: { data: ConnectivityData; simulated: boolean }) {
  const p = parts(data, simulated, false)
  return (
    <>
      {p.monitor}
      {p.summary}
      <section aria-labelledby="conn-now-h">
        <h2 id="conn-now-h">Now</h2>
        {p.states}
      </section>
      <section aria-labelledby="conn-timeline-h">
        <h2 id="conn-timeline-h">Outages</h2>
        {p.timeline}
        <h3>Recent outages</h3>
        {p.outages}
      </section>
    </>
  )
}

export interface LivePart {
  id: string
  html: string
}

/** Every live part as HTML for an out-of-band swap, keyed so a feed can send only those that changed. */
export async function livePartList(data: ConnectivityData, simulated: boolean): Promise<LivePart[]> {
  return Promise.all(
    Object.entries(parts(data, simulated, true)).map(async ([id, node]) => ({
      id,
      html: await toHtml(node),
    })),
  )
}
