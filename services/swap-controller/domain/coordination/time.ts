/**
 * Wire timestamps of the earlier API: ISO-8601 in UTC written `+00:00` (what Python's
 * `datetime.isoformat()` printed), with six fractional digits so Python's `fromisoformat` reads
 * them on every version since 3.7 and JavaScript's `Date.parse` too.
 */
export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000+00:00`
}

/** Milliseconds since the epoch of an ISO-8601 string with an offset; null when it is not one. */
export function parseIsoMs(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return null
  // Date.parse stops at milliseconds; longer fractions are cut to three digits first.
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'))
  return Number.isNaN(ms) ? null : ms
}
