/**
 * The numbers of one concurrency level from the requests that started inside its measured window
 * (or, when requests are longer than the window, those that overlapped it): latency percentiles,
 * error rate and throughput, and the health latencies sampled beside them.
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
 * Successful requests per second of `concurrency` workers sending back to back: by Little's law,
 * concurrency × (successful share) / mean latency. Counting completions inside the window instead
 * swings by a whole round of answers with where the window's edges fall, and any request still
 * carrying the ramp-up (shorter, not yet queued) skews a count by time share; the mean of the
 * requests that started in the window has neither problem.
 */
export function throughput(measured: readonly RequestRecord[], concurrency: number): number {
  if (measured.length === 0) return 0
  const ok = measured.filter((r) => r.ok).length
  const busyMs = measured.reduce((sum, r) => sum + Math.max(1, r.end - r.start), 0)
  return (concurrency * ok * 1000) / busyMs
}

const round = (n: number | null, digits = 1) => (n === null ? null : Number(n.toFixed(digits)))

/** The cell of one level, and the health samples taken in its window. */
export function cellOf(
  concurrency: number,
  records: readonly RequestRecord[],
  healthMs: readonly number[],
  window: Window,
): SweepCell {
  const started = records.filter((r) => r.start >= window.from && r.start < window.to)
  const measured =
    started.length > 0 ? started : records.filter((r) => r.start < window.to && r.end > window.from)
  const errors = measured.filter((r) => !r.ok).length
  const latencies = measured.filter((r) => r.ok).map((r) => r.end - r.start)
  return {
    concurrency,
    requests: measured.length,
    errors,
    error_rate: measured.length === 0 ? 0 : Number((errors / measured.length).toFixed(4)),
    throughput_rps: Number(throughput(measured, concurrency).toFixed(3)),
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
