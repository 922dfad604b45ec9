/**
 * Uptime arithmetic over rolling windows. The store sums milliseconds per state (spans clipped to
 * each window); what no span covers — before the first record, or while the monitor was not
 * running — is unknown, never up. Maintenance is planned and counts neither way.
 */
import type { UptimeFigures, UptimePeriod } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { TargetState } from '../ports.ts'
import { isoUtc } from './evidence.ts'

const DAY_MS = 86_400_000

export const UPTIME_WINDOWS_MS: Readonly<Record<UptimePeriod, number>> = {
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
}

export const UPTIME_PERIODS = Object.keys(UPTIME_WINDOWS_MS) as UptimePeriod[]

export type MsByState = Partial<Record<TargetState, number>>

const round3 = (value: number) => Math.round(value * 1000) / 1000

export function uptimeFigures(
  window: { from: number; to: number },
  msByState: MsByState,
  outages: number,
): UptimeFigures {
  const ms = (state: TargetState) => Math.max(0, msByState[state] ?? 0)
  const available = ms('up') + ms('busy') + ms('degraded')
  const counted = available + ms('down')
  const known = counted + ms('maintenance')
  const seconds = (value: number) => round3(value / 1000)
  return {
    from: isoUtc(window.from),
    to: isoUtc(window.to),
    up_s: seconds(ms('up')),
    busy_s: seconds(ms('busy')),
    degraded_s: seconds(ms('degraded')),
    down_s: seconds(ms('down')),
    maintenance_s: seconds(ms('maintenance')),
    // Spans that overlap (a clock stepped back) must not make unknown time negative.
    unknown_s: seconds(Math.max(0, window.to - window.from - known)),
    uptime_pct: counted > 0 ? round3((available / counted) * 100) : null,
    outages,
  }
}
