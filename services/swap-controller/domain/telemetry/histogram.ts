/**
 * Quantiles from cumulative histogram buckets, the way Prometheus' `histogram_quantile` does it:
 * find the bucket holding the rank and interpolate linearly inside it. Fed with bucket *deltas*
 * between two scrapes, it gives the quantile of the requests finished in between — "p95 of the
 * last few seconds", not since the server started.
 */

export interface Bucket {
  /** Upper bound (`le`); +Infinity for the last one. */
  le: number
  /** Cumulative count of observations ≤ le. */
  count: number
}

export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  const sorted = [...buckets].filter((b) => !Number.isNaN(b.le)).sort((a, b) => a.le - b.le)
  const last = sorted[sorted.length - 1]
  if (!last || last.le !== Number.POSITIVE_INFINITY || !(last.count > 0)) return null
  const rank = q * last.count
  const i = sorted.findIndex((b) => b.count >= rank)
  const bucket = sorted[i]!
  // Past the last finite bound nothing is known but that bound.
  if (bucket.le === Number.POSITIVE_INFINITY) return sorted.length > 1 ? sorted[sorted.length - 2]!.le : null
  const lower = i === 0 ? 0 : sorted[i - 1]!.le
  const below = i === 0 ? 0 : sorted[i - 1]!.count
  if (i === 0 && bucket.le <= 0) return bucket.le
  const inBucket = bucket.count - below
  if (inBucket <= 0) return bucket.le
  return lower + (bucket.le - lower) * ((rank - below) / inBucket)
}

/**
 * Buckets observed between two scrapes. A counter that went down means the server restarted (a
 * swap): everything since then is the current value itself, as Prometheus' `increase` treats it.
 */
export function bucketDelta(current: readonly Bucket[], previous: readonly Bucket[] | undefined): Bucket[] {
  if (!previous) return [...current]
  const before = new Map(previous.map((b) => [b.le, b.count]))
  const reset = current.some((b) => (before.get(b.le) ?? 0) > b.count) || current.length !== previous.length
  if (reset) return [...current]
  return current.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) }))
}
