/**
 * How many placeholders of each type, and how many Tier-1 drops of each kind, `/scrub` produced per
 * hour: counts only, never a value, a token or a text, so they can be kept and shown freely. The
 * store behind the port keeps a bounded number of hours (RETENTION_HOURS).
 */

export const HOUR_MS = 3600_000
/** Thirty days of hours; older buckets are deleted, and no window reaches further back. */
export const RETENTION_HOURS = 30 * 24
export const DEFAULT_WINDOW_HOURS = 24

/** What one successful scrub adds: counts by placeholder type and by Tier-1 kind. */
export interface ScrubCounts {
  types: Readonly<Record<string, number>>
  tier1: Readonly<Record<string, number>>
}

/** One hour's counts; `scrubs` is how many `/scrub` calls answered 200 in it. */
export interface HourCounts {
  /** The hour's start, in ms since the epoch (a multiple of HOUR_MS). */
  hour: number
  scrubs: number
  types: Record<string, number>
  tier1: Record<string, number>
}

export interface TypeCountStore {
  /** Adds one scrub's counts to the hour `at` falls in; never throws on a full or broken disk. */
  record(at: Date, counts: ScrubCounts): void
  /** The hours in [fromHour, toHour] (ms, hour starts) that have counts, oldest first. */
  hours(fromHour: number, toHour: number): HourCounts[]
  close(): void
}

export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS

/** The last `hours` hours up to and including the current one. */
export function windowOf(now: Date, hours: number): { fromHour: number; toHour: number } {
  const toHour = hourOf(now.getTime())
  return { fromHour: toHour - (hours - 1) * HOUR_MS, toHour }
}

/** The window's totals: what a table of "how many of each type" shows. */
export function totalsOf(buckets: readonly HourCounts[]): Omit<HourCounts, 'hour'> {
  const totals = { scrubs: 0, types: {} as Record<string, number>, tier1: {} as Record<string, number> }
  for (const b of buckets) {
    totals.scrubs += b.scrubs
    addInto(totals.types, b.types)
    addInto(totals.tier1, b.tier1)
  }
  return totals
}

function addInto(into: Record<string, number>, from: Readonly<Record<string, number>>) {
  for (const [name, n] of Object.entries(from)) into[name] = (into[name] ?? 0) + n
}

/** The part of a scrub's output the counts read: never its texts, tokens or values. */
export interface ScrubTotals {
  typeCounts: Partial<Record<string, number>>
  /** Tier-1 spans per kind. */
  tier1Kinds: Partial<Record<string, number>>
}

/** A scrub's counts: placeholders per type and Tier-1 spans per kind. */
export function countsOfScrub(out: ScrubTotals): ScrubCounts {
  return { types: defined(out.typeCounts), tier1: defined(out.tier1Kinds) }
}

function defined(counts: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [name, n] of Object.entries(counts)) if (n !== undefined) out[name] = n
  return out
}
