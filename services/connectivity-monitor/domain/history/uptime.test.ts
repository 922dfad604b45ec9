import { describe, expect, it } from 'vitest'
import { UPTIME_WINDOWS_MS, uptimeFigures } from './uptime.ts'

const to = Date.UTC(2026, 2, 2)
const day = { from: to - UPTIME_WINDOWS_MS.day, to }
const HOUR = 3_600_000

describe('uptime figures', () => {
  it('counts busy and degraded as available, down against, and what no span covers as unknown', () => {
    const figures = uptimeFigures(day, { up: 20 * HOUR, busy: HOUR, degraded: HOUR, down: HOUR / 2 }, 3)
    expect(figures).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
      up_s: 72_000,
      busy_s: 3600,
      degraded_s: 3600,
      down_s: 1800,
      maintenance_s: 0,
      unknown_s: 5400,
      outages: 3,
    })
    expect(figures.uptime_pct).toBe(97.778)
  })

  it('leaves maintenance and unknown spans out of the share', () => {
    const figures = uptimeFigures(day, { up: HOUR, down: HOUR, maintenance: 10 * HOUR, unknown: 2 * HOUR }, 1)
    expect(figures.uptime_pct).toBe(50)
    expect(figures.unknown_s).toBe(12 * 3600)
    expect(figures.maintenance_s).toBe(36_000)
  })

  it('has no share when nothing is known outside maintenance', () => {
    expect(uptimeFigures(day, {}, 0)).toMatchObject({ uptime_pct: null, unknown_s: 86_400 })
    expect(uptimeFigures(day, { maintenance: HOUR }, 0).uptime_pct).toBeNull()
  })

  it('never reports negative unknown time when spans overlap', () => {
    expect(uptimeFigures(day, { up: 25 * HOUR }, 0).unknown_s).toBe(0)
  })
})
