/**
 * Uptime from the spans table, summed by SQLite: each target's spans that end inside the longest
 * window (an index range, so a year of history costs what a month does) clipped to each window in
 * one pass. Outages count when they overlap a window.
 */
import type { UptimePeriod } from '../../../shared/contracts/connectivity-monitor.ts'
import type { Database } from '../../../shared/sqlite.ts'
import { type MsByState, UPTIME_PERIODS, UPTIME_WINDOWS_MS, uptimeFigures } from '../domain/history/uptime.ts'
import type { TargetState, UptimeAnswer } from '../domain/ports.ts'

type PerPeriod = Record<UptimePeriod, number>

// A span still open runs to now; each sum clips the span to its window and drops what falls outside.
const clipped = (from: string) =>
  `SUM(MAX(0, MIN(COALESCE(ended_at, :now), :now) - MAX(started_at, ${from})))`

const SPAN_SUMS = `
  SELECT state, ${clipped(':day')} AS day, ${clipped(':week')} AS week, ${clipped(':month')} AS month
  FROM spans
  WHERE target = :target AND started_at < :now AND (ended_at > :month OR ended_at IS NULL)
  GROUP BY state`

const overlapping = (from: string) => `SUM(CASE WHEN COALESCE(ended_at, :now) > ${from} THEN 1 ELSE 0 END)`

const OUTAGE_COUNTS = `
  SELECT ${overlapping(':day')} AS day, ${overlapping(':week')} AS week, ${overlapping(':month')} AS month
  FROM outages
  WHERE target = :target AND started_at <= :now AND (ended_at > :month OR ended_at IS NULL)`

export function uptimeOf(db: Database, targets: readonly string[], now: number): UptimeAnswer['targets'] {
  const from = Object.fromEntries(UPTIME_PERIODS.map((p) => [p, now - UPTIME_WINDOWS_MS[p]])) as PerPeriod
  return targets.map((target) => {
    const params = { target, now, ...from }
    const sums = db.all<PerPeriod & { state: TargetState }>(SPAN_SUMS, params)
    const counts = db.get<Partial<Record<UptimePeriod, number | null>>>(OUTAGE_COUNTS, params)
    const figures = (period: UptimePeriod) => {
      const ms: MsByState = Object.fromEntries(sums.map((row) => [row.state, row[period]]))
      return uptimeFigures({ from: from[period], to: now }, ms, counts?.[period] ?? 0)
    }
    return { target, day: figures('day'), week: figures('week'), month: figures('month') }
  })
}

/** The query plan of the span sums, for the test that proves they read an index range. */
export const spanSumsPlan = (db: Database): string[] =>
  db
    .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${SPAN_SUMS}`, {
      target: 'x',
      now: 0,
      day: 0,
      week: 0,
      month: 0,
    })
    .map((row) => row.detail)
