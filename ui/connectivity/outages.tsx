/**
 * The recent outages, newest first: target, how bad, when it began and ended, how long, why. A
 * service's outage that happened because its node went down is listed under the node's outage; an
 * outage still going on says so and counts its duration to now.
 */
import type { Outage, TargetView } from './source.ts'
import { exactTime, span } from './words.ts'

export interface OutageGroup {
  outage: Outage
  /** Outages of targets on the node that went down with it (`host_outage_id`). */
  children: Outage[]
}

/** Node outages with the outages they grouped beneath them; the rest on their own, newest first. */
export function groupOutages(outages: readonly Outage[]): OutageGroup[] {
  const ids = new Set(outages.map((o) => o.id))
  const children = new Map<string, Outage[]>()
  for (const o of outages)
    if (o.host_outage_id && ids.has(o.host_outage_id))
      children.set(o.host_outage_id, [...(children.get(o.host_outage_id) ?? []), o])
  const newest = (a: Outage, b: Outage) => Date.parse(b.started_at) - Date.parse(a.started_at)
  return outages
    .filter((o) => !(o.host_outage_id && ids.has(o.host_outage_id)))
    .sort(newest)
    .map((o) => ({ outage: o, children: (children.get(o.id) ?? []).sort(newest) }))
}

function OutageRow({ o, title, now, child }: { o: Outage; title: string; now: Date; child?: boolean }) {
  return (
    <tr
      data-outage={o.id}
      data-outage-target={o.target}
      data-severity={o.severity}
      data-ongoing={String(o.ongoing)}
      data-duration-ms={o.duration_ms}
      class={child ? 'outage-child' : undefined}
    >
      <th scope="row" data-label="Target">
        {child ? <span aria-hidden="true">↳ </span> : null}
        {title}
      </th>
      <td data-label="Severity">
        <span class={`pill tone-${o.severity === 'down' ? 'bad' : 'warn'}`}>{o.severity}</span>
      </td>
      <td data-label="Start">
        <time datetime={o.started_at}>{exactTime(o.started_at, now)}</time>
      </td>
      <td data-label="End">
        {o.ended_at === null ? (
          <strong>ongoing</strong>
        ) : (
          <time datetime={o.ended_at}>{exactTime(o.ended_at, now)}</time>
        )}
      </td>
      <td data-label="Duration" data-duration>
        {span(o.duration_ms)}
        {o.ongoing ? ' so far' : ''}
      </td>
      <td data-label="Why" class="detail-cell">
        {o.reason}
        {o.alerted ? <span class="muted"> · alert sent</span> : null}
      </td>
    </tr>
  )
}

export function OutagesPanel(props: {
  outages: Outage[] | null
  targets: TargetView[] | null
  now: Date
  limit: number
  oob?: boolean
}) {
  const { outages, now } = props
  const titles = new Map((props.targets ?? []).map((t) => [t.id, t.title]))
  const titleOf = (id: string) => titles.get(id) ?? id
  const groups = outages ? groupOutages(outages).slice(0, props.limit) : []
  return (
    <div id="conn-outages" hx-swap-oob={props.oob ? 'true' : undefined}>
      {outages === null ? (
        <p class="muted">The outage log is not available right now.</p>
      ) : groups.length === 0 ? (
        <p class="muted" data-no-outages="">
          No outage in this span.
        </p>
      ) : (
        <div class="table-wrap">
          <table class="history conn-outages">
            <thead>
              <tr>
                {['Target', 'Severity', 'Start', 'End', 'Duration', 'Why'].map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            {groups.map((g) => (
              <tbody data-outage-group={g.outage.id}>
                <OutageRow o={g.outage} title={titleOf(g.outage.target)} now={now} />
                {g.children.map((o) => (
                  <OutageRow o={o} title={titleOf(o.target)} now={now} child />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </div>
  )
}
