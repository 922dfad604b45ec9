/**
 * The numbers of one concurrency level: latency percentiles, throughput and error rate from the
 * requests that started inside its measured window, and the health latencies sampled beside them.
 */
import type { SweepCell } from '../../../../../shared/contracts/swap-controller.ts'

/** One request as the runner saw it (clock milliseconds). */
export interface RequestRecord {
  start: number
  end: number
  ok: boolean
  status: number | null
  error?: string
}

export interface Window {
  from: number
  to: number
}

/** Nearest-rank percentile (the value at rank ⌈p·n⌉); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)))
  return sorted[rank - 1]!
}

/**
 * Successful requests per second in the window, each counted by the share of its lifetime that fell
 * inside it. Counting whole requests by when they ended swings by a whole round of `capacity`
 * answers depending on where the window's edges fall; the shares do not, so two levels a backend
 * serves equally fast measure equal.
 */
export function throughput(records: readonly RequestRecord[], window: Window): number {
  const seconds = (window.to - window.from) / 1000
  if (seconds <= 0) return 0
  let done = 0
  for (const r of records) {
    if (!r.ok) continue
    const overlap = Math.min(r.end, window.to) - Math.max(r.start, window.from)
    const length = r.end - r.start
    if (length <= 0) done += r.end >= window.from && r.end <= window.to ? 1 : 0
    else if (overlap > 0) done += overlap / length
  }
  return done / seconds
}

const round = (n: number | null, digits = 1) => (n === null ? null : Number(n.toFixed(digits)))

/** The cell of one level: requests that started in the window, health samples taken in it. */
export function cellOf(
  concurrency: number,
  records: readonly RequestRecord[],
  healthMs: readonly number[],
  window: Window,
): SweepCell {
  const measured = records.filter((r) => r.start >= window.from && r.start < window.to)
  const errors = measured.filter((r) => !r.ok).length
  const latencies = measured.filter((r) => r.ok).map((r) => r.end - r.start)
  return {
    concurrency,
    requests: measured.length,
    errors,
    error_rate: measured.length === 0 ? 0 : Number((errors / measured.length).toFixed(4)),
    throughput_rps: Number(throughput(records, window).toFixed(3)),
    p50_ms: round(percentile(latencies, 0.5)),
    p95_ms: round(percentile(latencies, 0.95)),
    p99_ms: round(percentile(latencies, 0.99)),
    health_p50_ms: round(percentile(healthMs, 0.5)),
    health_p95_ms: round(percentile(healthMs, 0.95)),
    health_max_ms: round(healthMs.length === 0 ? null : Math.max(...healthMs)),
  }
}

/** The most common failure of a level, for the reason a sweep stopped (`HTTP 503 ×12`). */
export function commonError(records: readonly RequestRecord[]): string | null {
  const counts = new Map<string, number>()
  for (const r of records) {
    if (r.ok) continue
    const key = r.error ?? (r.status === null ? 'no answer' : `HTTP ${r.status}`)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0]
  return top ? `${top[0]} ×${top[1]}` : null
}
