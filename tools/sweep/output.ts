/** The sweep's table and recommendation as a person reads them in a terminal. */
import type { SweepCell, SweepResult } from '../../shared/contracts/swap-controller.ts'

const ms = (v: number | null) =>
  v === null ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)}s` : `${Math.round(v)}`

const COLUMNS: Array<[string, (c: SweepCell) => string]> = [
  ['conc', (c) => String(c.concurrency)],
  ['req', (c) => String(c.requests)],
  ['err%', (c) => (c.error_rate * 100).toFixed(1)],
  ['req/s', (c) => c.throughput_rps.toFixed(2)],
  ['p50 ms', (c) => ms(c.p50_ms)],
  ['p95 ms', (c) => ms(c.p95_ms)],
  ['p99 ms', (c) => ms(c.p99_ms)],
  ['health p95', (c) => ms(c.health_p95_ms)],
  ['health max', (c) => ms(c.health_max_ms)],
]

export function cellTable(cells: readonly SweepCell[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...cells.map((c) => COLUMNS.map(([, f]) => f(c)))]
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((v, i) => v.padStart(widths[i]!)).join('  ')).join('\n')
}

export function report(result: SweepResult): string {
  const lines = [
    `${result.target} sweep of ${result.url}${result.simulated ? ' (simulated)' : ''}: ${result.status}`,
    '',
    cellTable(result.cells),
    '',
  ]
  if (result.stopped_early) lines.push(`Stopped early: ${result.stopped_early}`)
  lines.push(
    result.recommended_limit === null
      ? 'No recommendation.'
      : `Knee: ${result.knee ?? 'not reached'} — recommended ${result.setting}=${result.recommended_limit}`,
  )
  if (result.reason) lines.push(result.reason)
  return lines.join('\n')
}
