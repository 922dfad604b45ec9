/**
 * One read of everything the page shows, each part on its own: a part that fails is null (the page
 * says it is not available) and never fails the page. The whole read has a deadline, so a monitor
 * that accepts but never answers costs the page a few seconds, not a hang.
 */
import { withBudget } from '../../shared/abort.ts'
import type { ConnectivityData } from './live.tsx'
import { OUTAGES_READ, RANGES, type RangeId } from './paths.ts'
import type { MonitorSource } from './source.ts'

/** Longer than the monitor's own answers take (milliseconds), shorter than a person's patience. */
export const READ_BUDGET_MS = 4000

export interface ReadOptions {
  range: RangeId
  now: Date
  signal?: AbortSignal
  /** Told which part failed and why (logged by the caller, with its request id). */
  onFailure?: (what: string, err: unknown) => void
  /** The uptime and maintenance lists change slowly: the feed leaves them out. */
  live?: boolean
}

export async function readConnectivity(monitor: MonitorSource, o: ReadOptions): Promise<ConnectivityData> {
  const signal = withBudget(o.signal, READ_BUDGET_MS)
  const part = <T>(what: string, p: () => Promise<T>): Promise<T | null> =>
    p().catch((err: unknown) => {
      o.onFailure?.(what, err)
      return null
    })
  const since = new Date(o.now.getTime() - RANGES[o.range].ms).toISOString()
  const [targets, outages, uptime, windows] = await Promise.all([
    part('targets', () => monitor.targets(signal)),
    part('outages', () => monitor.outages({ limit: OUTAGES_READ, since }, signal)),
    o.live ? null : part('uptime', () => monitor.uptime(signal)),
    part('maintenance', () => monitor.maintenance(signal)),
  ])
  return { targets, outages, uptime, windows, range: o.range, now: o.now }
}
