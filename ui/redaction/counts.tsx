/**
 * How many details of each kind were hidden, per hour, over the last day or week: a table with a
 * row per type (its colour, its name, its total) and a bar per hour drawn as inline SVG on the
 * server. Counts only: the redaction-gateway never hands out a value here.
 */
import { colourOf, TypeMark, wordsFor } from './highlight.tsx'
import { COUNT_WINDOWS, countsUrl } from './paths.ts'
import type { RedactionStats } from './source.ts'

const BAR_H = 20
const HOUR_MS = 3600_000

/** Per hour of the window (oldest first), how many of `name` in `group`; hours without a scrub are 0. */
export function perHour(stats: RedactionStats, group: 'types' | 'tier1', name: string): number[] {
  const values = new Array<number>(stats.hours).fill(0)
  const from = Date.parse(stats.from)
  for (const b of stats.buckets) {
    const i = Math.round((Date.parse(b.hour) - from) / HOUR_MS)
    if (i >= 0 && i < values.length) values[i] = b[group][name] ?? 0
  }
  return values
}

function Bars({ values, label, colour }: { values: number[]; label: string; colour: string }) {
  const max = Math.max(1, ...values)
  return (
    <svg
      class={`count-bars ${colour}`}
      viewBox={`0 0 ${values.length} ${BAR_H}`}
      preserveAspectRatio="none"
      width="168"
      height={BAR_H}
      role="img"
      aria-label={`${label}: at most ${Math.max(0, ...values)} in one hour`}
    >
      {values.map((v, i) =>
        v > 0 ? (
          <rect x={i + 0.1} y={BAR_H - (v / max) * BAR_H} width="0.8" height={(v / max) * BAR_H} />
        ) : null,
      )}
    </svg>
  )
}

const byCount = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1])

function windowWords(hours: number) {
  return COUNT_WINDOWS.find((w) => w.hours === hours)?.label.toLowerCase() ?? `last ${hours} hours`
}

/** `oob`: sent beside another answer, for htmx to swap in by id (a scrub moves the counts). */
export function CountsPanel(props: { stats: RedactionStats | null; hours: number; oob?: boolean }) {
  const { stats, hours } = props
  return (
    <div id="redaction-counts" data-hours={hours} hx-swap-oob={props.oob ? 'true' : undefined}>
      <p class="count-windows">
        {COUNT_WINDOWS.map((w) => (
          <a
            href={countsUrl(w.hours)}
            hx-get={countsUrl(w.hours, true)}
            hx-target="#redaction-counts"
            hx-swap="outerHTML"
            aria-current={w.hours === hours ? 'true' : undefined}
          >
            {w.label}
          </a>
        ))}
      </p>
      {stats === null ? (
        <p class="muted">The counts are not available right now.</p>
      ) : (
        <CountsTable stats={stats} />
      )}
    </div>
  )
}

function CountsTable({ stats }: { stats: RedactionStats }) {
  const words = windowWords(stats.hours)
  const scrubs = stats.totals.scrubs
  if (scrubs === 0) return <p class="muted">Nothing was scrubbed in the {words}.</p>
  const rows = [
    ...byCount(stats.totals.types).map(([name, n]) => ({ group: 'types' as const, name, n })),
    ...byCount(stats.totals.tier1).map(([name, n]) => ({ group: 'tier1' as const, name, n })),
  ]
  return (
    <div class="table-wrap">
      <table class="speech-lanes redaction-counts">
        <caption>
          {scrubs} scrub{scrubs === 1 ? '' : 's'} in the {words}; one bar per hour, oldest on the left.
        </caption>
        <thead>
          <tr>
            <th scope="col">Kind of detail</th>
            <th scope="col">How many</th>
            <th scope="col">Per hour</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const type = r.group === 'types' ? r.name : 'REDACTED'
            const label = r.group === 'types' ? wordsFor(r.name) : `dropped: ${r.name.replace(/_/g, ' ')}`
            return (
              <tr data-count-type={r.name} data-count-group={r.group}>
                <td>
                  <TypeMark type={type}>{r.name}</TypeMark> {label}
                </td>
                <td data-count={r.n}>{r.n}</td>
                <td>
                  <Bars values={perHour(stats, r.group, r.name)} label={label} colour={colourOf(type)} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
