/**
 * The outage timeline: one bar per target over the last day (or week), its outages drawn where
 * they happened, on the server as SVG (our CSP allows no inline styles, and SVG attributes are not
 * styles). Each segment carries its times in a tooltip and the row says them in words for screen
 * readers.
 */
import { pageUrl, RANGES, type RangeId } from './paths.ts'
import { placeOutages, ticks } from './placement.ts'
import type { Outage, TargetView } from './source.ts'
import { groupTargets } from './states.tsx'
import { exactTime, span } from './words.ts'

function Bar({ outages, from, to, label }: { outages: Outage[]; from: number; to: number; label: string }) {
  const segments = placeOutages(outages, from, to)
  const words = segments.length
    ? `${label}: ${segments.length} outage${segments.length === 1 ? '' : 's'}`
    : `${label}: no outage`
  return (
    <svg class="timeline-bar" width="100%" height="18" role="img" aria-label={words}>
      <rect class="timeline-ok" x="0" y="3" width="100%" height="12" />
      {segments.map((s) => (
        <rect
          class={`timeline-${s.severity}`}
          x={`${s.left}%`}
          y="0"
          width={`${s.width}%`}
          height="18"
          data-segment={s.id}
          data-left={s.left}
          data-width={s.width}
        >
          <title>
            {`${s.severity} from ${exactTime(s.startedAt, new Date(to))}${s.ongoing ? ', still ongoing' : ` for ${span(s.durationMs)}`}: ${s.reason}`}
          </title>
        </rect>
      ))}
    </svg>
  )
}

/** The same order as the state table: each node, what runs on it, then the services. */
const inGroupOrder = (targets: TargetView[]) =>
  groupTargets(targets).flatMap((g) => (g.node ? [g.node, ...g.members] : g.members))

export function TimelinePanel(props: {
  targets: TargetView[] | null
  outages: Outage[] | null
  range: RangeId
  now: Date
  oob?: boolean
}) {
  const { range, now } = props
  const to = now.getTime()
  const from = to - RANGES[range].ms
  const marks = ticks(from, to)
  return (
    <div id="conn-timeline" data-range={range} hx-swap-oob={props.oob ? 'true' : undefined}>
      <p class="count-windows">
        {(Object.keys(RANGES) as RangeId[]).map((r) => (
          <a href={pageUrl({ range: r })} aria-current={r === range ? 'true' : undefined}>
            {RANGES[r].label}
          </a>
        ))}
      </p>
      {props.targets === null || props.outages === null ? (
        <p class="muted">The outage history is not available right now.</p>
      ) : (
        <div class="table-wrap">
          <table class="conn-timeline">
            <caption>
              {RANGES[range].label.toLowerCase()} up to {exactTime(now.toISOString(), now)}; red is down,
              amber degraded, oldest on the left.
            </caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">
                  <svg class="timeline-ticks" width="100%" height="14" aria-hidden="true">
                    {marks.map((m) => (
                      <text x={`${m.left}%`} y="11" data-tick={m.left}>
                        {m.label}
                      </text>
                    ))}
                  </svg>
                  <span class="visually-hidden">Outages</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {inGroupOrder(props.targets).map((t) => (
                <tr data-timeline={t.id}>
                  <th scope="row">{t.title}</th>
                  <td>
                    <Bar
                      outages={props.outages!.filter((o) => o.target === t.id)}
                      from={from}
                      to={to}
                      label={t.title}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
