/**
 * The state of every target now, grouped the way the owner thinks of the cluster: each Spark node
 * with the upstreams that run on it, then Spark Control's own services. Each row says the state in
 * a word and a symbol (a planned switch reads "switching", never "down"), since when, why, the
 * last reading of each probe layer and how often it is probed now.
 */
import type { MaintenanceWindow, Targets, TargetView } from './source.ts'
import {
  agoWords,
  exactTime,
  forWords,
  maintenanceWords,
  PROBING_WORDS,
  readingWords,
  type StateLook,
  stateLook,
} from './words.ts'

export interface TargetGroup {
  id: string
  title: string
  /** The node itself, for a node's group. */
  node: TargetView | null
  members: TargetView[]
}

const byTitle = (a: TargetView, b: TargetView) => a.title.localeCompare(b.title)

/** Nodes with their upstreams (by `host`), what runs on no known node, then the services. */
export function groupTargets(targets: readonly TargetView[]): TargetGroup[] {
  const nodes = targets.filter((t) => t.kind === 'node').sort((a, b) => a.id.localeCompare(b.id))
  const nodeIds = new Set(nodes.map((n) => n.id))
  const groups: TargetGroup[] = nodes.map((n) => ({
    id: `node-${n.id}`,
    title: n.title,
    node: n,
    members: targets
      .filter((t) => t.kind !== 'node' && t.kind !== 'service' && t.host === n.id)
      .sort(byTitle),
  }))
  const elsewhere = targets.filter((t) => t.kind === 'upstream' && !(t.host && nodeIds.has(t.host)))
  if (elsewhere.length)
    groups.push({
      id: 'elsewhere',
      title: 'Upstreams on no known Spark',
      node: null,
      members: elsewhere.sort(byTitle),
    })
  const services = targets.filter((t) => t.kind === 'service')
  if (services.length)
    groups.push({
      id: 'services',
      title: "Spark Control's own services",
      node: null,
      members: services.sort(byTitle),
    })
  return groups
}

/** "Spark node spark-1": the monitor's title when it already says it is a node. */
const nodeHeading = (title: string) => (/\bnode\b/i.test(title) ? title : `Spark node ${title}`)

export function Pill({ look }: { look: StateLook }) {
  return (
    <span class={`pill tone-${look.tone}`} data-pill={look.label}>
      <span aria-hidden="true">{look.symbol}</span> {look.label}
    </span>
  )
}

function Readings({ target, now }: { target: TargetView; now: Date }) {
  const layers = Object.entries(target.layers)
  const { ok, failed, last_at } = target.passive
  const traffic =
    ok + failed > 0 ? `traffic: ${ok} ok, ${failed} failed, last ${agoWords(last_at, now)}` : null
  if (!layers.length && !traffic) return <span class="muted">no reading yet</span>
  return (
    <ul class="readings">
      {layers.map(([layer, r]) => (
        <li data-layer={layer} data-ok={String(r.ok)}>
          {readingWords(layer, r)}
        </li>
      ))}
      {traffic ? <li data-layer="passive">{traffic}</li> : null}
    </ul>
  )
}

function TargetRow(props: {
  target: TargetView
  windows: readonly MaintenanceWindow[] | null
  now: Date
  simulated: boolean
  node?: boolean
}) {
  const { target: t, now } = props
  const look = stateLook(t, props.windows, now)
  const until = t.maintenance?.until ? ` until ${exactTime(t.maintenance.until, now)}` : ''
  return (
    <tr
      data-target={t.id}
      data-state={t.state}
      data-look={look.label}
      class={props.node ? 'node-row' : undefined}
    >
      <th scope="row" data-label="Target">
        {t.title}
        {props.simulated && t.kind !== 'service' ? <span class="sim-tag">simulated</span> : null}
        <span class="address">{t.address}</span>
      </th>
      <td data-label="State">
        <Pill look={look} />
      </td>
      <td data-label="Since">
        {forWords(t.since, now)}{' '}
        <span class="muted">
          (since <time datetime={t.since}>{exactTime(t.since, now)}</time>)
        </span>
      </td>
      <td data-label="Why" class="detail-cell">
        {t.maintenance ? `${maintenanceWords(t.maintenance.reason)}${until}` : t.reason}
      </td>
      <td data-label="Last readings">
        <Readings target={t} now={now} />
      </td>
      <td data-label="Probing" data-probing={t.probing}>
        {PROBING_WORDS[t.probing]}
      </td>
    </tr>
  )
}

const HEAD = ['Target', 'State', 'Since', 'Why', 'Last readings', 'Probing']

export function StatesPanel(props: {
  targets: Targets | null
  windows: readonly MaintenanceWindow[] | null
  now: Date
  simulated: boolean
  oob?: boolean
}) {
  const { targets, now } = props
  const simulated = props.simulated || !!targets?.monitor.simulated
  return (
    <div id="conn-states" hx-swap-oob={props.oob ? 'true' : undefined}>
      {targets === null ? null : targets.targets.length === 0 ? (
        <p class="muted">The monitor watches nothing yet: no target is configured.</p>
      ) : (
        <div class="table-wrap">
          <table class="history conn-states">
            <thead>
              <tr>
                {HEAD.map((h) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            {groupTargets(targets.targets).map((g) => (
              <tbody data-group={g.id}>
                <tr class="group-row">
                  <th scope="rowgroup" colspan={HEAD.length}>
                    {g.node ? nodeHeading(g.title) : g.title}
                  </th>
                </tr>
                {g.node ? (
                  <TargetRow target={g.node} windows={props.windows} now={now} simulated={simulated} node />
                ) : null}
                {g.members.map((t) => (
                  <TargetRow target={t} windows={props.windows} now={now} simulated={simulated} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </div>
  )
}

/** One line for screen readers and a glance: all well, or which targets are not. */
export function stateSummary(
  targets: Targets | null,
  windows: readonly MaintenanceWindow[] | null,
  now: Date,
) {
  if (targets === null) return { tone: 'off' as const, text: 'The connectivity monitor cannot be reached.' }
  const looks = targets.targets.map((t) => ({ t, look: stateLook(t, windows, now) }))
  const down = looks.filter((x) => x.t.state === 'down').map((x) => x.t.title)
  const degraded = looks.filter((x) => x.t.state === 'degraded').map((x) => x.t.title)
  if (down.length) return { tone: 'bad' as const, text: `Down: ${down.join(', ')}.` }
  if (degraded.length) return { tone: 'warn' as const, text: `Degraded: ${degraded.join(', ')}.` }
  const others = looks.filter((x) => x.t.state !== 'up')
  if (!others.length) return { tone: 'good' as const, text: `All ${looks.length} targets are up.` }
  const words = others.map((x) => `${x.t.title} ${x.look.label}`).join(', ')
  return { tone: 'good' as const, text: `Nothing is down (${words}).` }
}

export function SummaryLine(props: {
  targets: Targets | null
  windows: readonly MaintenanceWindow[] | null
  now: Date
  oob?: boolean
}) {
  const s = stateSummary(props.targets, props.windows, props.now)
  return (
    <div id="conn-summary" aria-live="polite" aria-atomic="true" hx-swap-oob={props.oob ? 'true' : undefined}>
      <p class={`conn-summary tone-${s.tone}`} data-summary={s.tone}>
        {s.text}
      </p>
    </div>
  )
}
