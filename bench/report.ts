/**
 * From raw samples to the figures the benchmark reports: percentiles, differences against the
 * direct baseline of the same run, ratios against nginx, the targets they are read against, and
 * the printed table. Nothing here fails anything: a missed target is reported, not thrown.
 */
import type { Samples } from './load.ts'
import type { MemoryRow } from './memory.ts'

export interface Summary {
  count: number
  errors: number
  firstError: string | null
  p50Ms: number
  p90Ms: number
  p99Ms: number
  maxMs: number
}

export interface Throughput extends Summary {
  rps: number
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** Merges the rounds of one path (the run order alternates, see run.ts) and summarises them. */
export function summarize(rounds: Samples[]): Summary {
  const all = Float64Array.from(rounds.flatMap((r) => r.latencyUs)).sort()
  const ms = (us: number) => us / 1000
  return {
    count: all.length,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    firstError: rounds.find((r) => r.firstError)?.firstError ?? null,
    p50Ms: ms(percentile(all, 0.5)),
    p90Ms: ms(percentile(all, 0.9)),
    p99Ms: ms(percentile(all, 0.99)),
    maxMs: ms(all.length ? all[all.length - 1]! : Number.NaN),
  }
}

export function throughputOf(rounds: Samples[]): Throughput {
  const ok = rounds.reduce((n, r) => n + r.ok, 0)
  const seconds = rounds.reduce((n, r) => n + r.elapsedMs, 0) / 1000
  return { ...summarize(rounds), rps: ok / seconds }
}

/** How late the open loop started its requests: near zero means the rate was held. */
export function lagP99Ms(rounds: Samples[]): number {
  const all = Float64Array.from(rounds.flatMap((r) => r.lagUs)).sort()
  return percentile(all, 0.99) / 1000
}

export interface TargetCheck {
  figure: string
  value: number
  target: string
  met: boolean
}

export const atMost = (figure: string, value: number, limit: number, unit: string): TargetCheck => ({
  figure,
  value,
  target: `≤ ${limit} ${unit}`,
  met: value <= limit,
})

export const atLeast = (figure: string, value: number, floor: number, unit: string): TargetCheck => ({
  figure,
  value,
  target: `≥ ${floor}${unit}`,
  met: value >= floor,
})

const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—')
const signed = (v: number, digits = 2) =>
  Number.isFinite(v) && v >= 0 ? `+${num(v, digits)}` : num(v, digits)

/** A plain aligned text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

export interface Figures {
  paths: string[]
  latency: Record<string, Summary>
  lagP99Ms: Record<string, number>
  throughput: Record<string, Throughput>
  sse: Record<string, Summary>
  /** CPU time of the proxy process(es) per request in the throughput phase; null for direct. */
  cpuUsPerRequest: Record<string, number | null>
  rss: MemoryRow[]
  targets: TargetCheck[]
}

export function render(f: Figures, rate: number, concurrency: number): string {
  const direct = f.latency.direct!
  const sseDirect = f.sse.direct!
  const nginxRps = f.throughput.nginx?.rps ?? Number.NaN
  const rows = [
    [
      'path',
      `p50 ms @${rate}/s`,
      'p99 ms',
      'added p50',
      'added p99',
      `req/s @c${concurrency}`,
      '× nginx',
      'CPU µs/req',
      'SSE p50 ms',
      'SSE p99 ms',
      'SSE added p99',
      'errors',
    ],
  ]
  for (const p of f.paths) {
    const l = f.latency[p]!
    const t = f.throughput[p]!
    const s = f.sse[p]!
    const base = p === 'direct'
    rows.push([
      p,
      num(l.p50Ms, 3),
      num(l.p99Ms, 3),
      base ? '' : signed(l.p50Ms - direct.p50Ms, 3),
      base ? '' : signed(l.p99Ms - direct.p99Ms, 3),
      num(t.rps, 0),
      num(t.rps / nginxRps, 2),
      num(f.cpuUsPerRequest[p] ?? Number.NaN, 1),
      num(s.p50Ms, 3),
      num(s.p99Ms, 3),
      base ? '' : signed(s.p99Ms - sseDirect.p99Ms, 3),
      String(l.errors + t.errors + s.errors),
    ])
  }
  const names = [...new Set(f.rss.map((r) => r.name))]
  const rssOf = (name: string, how: MemoryRow['how']) => f.rss.find((r) => r.name === name && r.how === how)
  const memory = table([
    ['process (idle)', 'RSS MiB via tsx', 'RSS MiB compiled', 'baseline MiB'],
    ...names.map((n) => [
      n,
      num(rssOf(n, 'tsx')?.rssMiB ?? Number.NaN, 1),
      num(rssOf(n, 'compiled')?.rssMiB ?? Number.NaN, 1),
      num(rssOf(n, 'baseline')?.rssMiB ?? Number.NaN, 1),
    ]),
  ])
  const targets = table([
    ['target', 'measured', 'goal', ''],
    ...f.targets.map((t) => [t.figure, num(t.value, 2), t.target, t.met ? 'met' : 'MISSED']),
  ])
  const lag = f.paths.map((p) => `${p} ${num(f.lagP99Ms[p]!, 2)} ms`).join(', ')
  const notes = [`open-loop start lag p99: ${lag}`]
  const fast = f.throughput.gateway
  const portable = f.throughput['gateway-portable']
  if (fast && portable) {
    const cpu =
      (f.cpuUsPerRequest.gateway ?? Number.NaN) / (f.cpuUsPerRequest['gateway-portable'] ?? Number.NaN)
    const rps = num(fast.rps / portable.rps, 2)
    notes.push(`gateway (Node fast path) vs gateway-portable: req/s ×${rps}, CPU per request ×${num(cpu, 2)}`)
  }
  const [gw, bare, ngx] = [f.cpuUsPerRequest.gateway, f.cpuUsPerRequest['node-bare'], f.cpuUsPerRequest.nginx]
  if (gw && bare && ngx) {
    notes.push(
      `CPU per request: gateway ${num(gw, 1)} µs = a bare Node proxy ${num(bare, 1)} µs + the gateway's own ` +
        `work ${num(gw - bare, 1)} µs; nginx ${num(ngx, 1)} µs`,
    )
  }
  return `${table(rows)}\n\n${notes.join('\n')}\n\n${memory}\n\n${targets}\n`
}
