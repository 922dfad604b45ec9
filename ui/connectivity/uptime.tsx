/**
 * Uptime per target over the last day, week and month, to 0.001 %. Time the monitor knows nothing
 * about (it was not running, or had no reading yet) is said apart, never counted as up or down;
 * planned maintenance counts as neither.
 */
import type { TargetView, Uptime } from './source.ts'
import { span, unknownWords, uptimePct } from './words.ts'

const PERIODS = [
  ['day', 'Last day'],
  ['week', 'Last week'],
  ['month', 'Last month'],
] as const

type Figures = Uptime['targets'][number]['day']

function Cell({ f }: { f: Figures }) {
  const unknown = unknownWords(f.unknown_s)
  const down = f.down_s > 0 ? `${span(f.down_s * 1000)} down` : null
  return (
    <>
      <span class="uptime-pct" data-pct={f.uptime_pct ?? ''}>
        {uptimePct(f.uptime_pct)}
      </span>
      {f.outages > 0 || down ? (
        <span class="uptime-note">
          {f.outages} outage{f.outages === 1 ? '' : 's'}
          {down ? `, ${down}` : ''}
        </span>
      ) : null}
      {f.maintenance_s > 0 ? (
        <span class="uptime-note">{span(f.maintenance_s * 1000)} maintenance (not counted)</span>
      ) : null}
      {unknown ? (
        <span class="uptime-note" data-unknown-s={f.unknown_s}>
          {unknown}
        </span>
      ) : null}
    </>
  )
}

export function UptimePanel({ uptime, targets }: { uptime: Uptime | null; targets: TargetView[] | null }) {
  if (uptime === null) return <p class="muted">The uptime figures are not available right now.</p>
  if (uptime.targets.length === 0) return <p class="muted">No uptime figures yet.</p>
  const titles = new Map((targets ?? []).map((t) => [t.id, t.title]))
  return (
    <div class="table-wrap">
      <table class="history conn-uptime">
        <caption>
          Share of the time each target answered (up, busy or degraded), of the time the monitor knew its
          state outside maintenance.
        </caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            {PERIODS.map(([, label]) => (
              <th scope="col">{label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {uptime.targets.map((row) => (
            <tr data-uptime={row.target}>
              <th scope="row" data-label="Target">
                {titles.get(row.target) ?? row.target}
              </th>
              {PERIODS.map(([period, label]) => (
                <td data-label={label} data-period={period}>
                  <Cell f={row[period]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
