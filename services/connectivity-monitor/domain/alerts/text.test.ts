import { describe, expect, it } from 'vitest'
import type { MonitorAlert } from './ports.ts'
import { formatDuration, notice } from './text.ts'

const alert = (over: Partial<MonitorAlert>): MonitorAlert => ({
  event: 'outage',
  target: 'parakeet',
  title: 'Parakeet ASR',
  kind: 'upstream',
  state: 'down',
  severity: 'down',
  started_at: '2026-12-06T12:00:00.000Z',
  ended_at: null,
  duration_s: 42,
  reason: 'connection refused',
  grouped: [],
  simulated: false,
  ...over,
})

describe('ntfy notice', () => {
  it('pages (high) for down, not for degraded, and marks the simulated cluster', () => {
    expect(notice(alert({}))).toEqual({
      title: 'Parakeet ASR is down',
      body: 'Down since 2026-12-06 12:00:00 UTC (42 s so far).\nconnection refused',
      priority: 'high',
      tags: ['rotating_light'],
    })
    expect(notice(alert({ severity: 'degraded', state: 'degraded', simulated: true }))).toMatchObject({
      title: '[simulated] Parakeet ASR is degraded',
      priority: 'default',
      tags: ['warning', 'test_tube'],
    })
  })

  it('says "still" on a reminder and "back" with the duration on a resolve', () => {
    expect(notice(alert({ event: 'reminder', duration_s: 3720 })).title).toBe('Parakeet ASR is still down')
    expect(notice(alert({ event: 'reminder', duration_s: 3720 })).body).toContain('(1 h 2 min so far)')
    const resolved = notice(
      alert({ event: 'resolved', state: 'up', duration_s: 75, reason: 'answers again' }),
    )
    expect(resolved).toMatchObject({
      title: 'Parakeet ASR is back',
      priority: 'default',
      tags: ['white_check_mark'],
    })
    expect(resolved.body).toBe('Down for 1 min 15 s, since 2026-12-06 12:00:00 UTC; now up.\nanswers again')
  })

  it('formats durations for people', () => {
    expect([0.4, 59, 60, 3599, 3600, 90_061].map(formatDuration)).toEqual([
      '0 s',
      '59 s',
      '1 min 0 s',
      '59 min 59 s',
      '1 h 0 min',
      '25 h 1 min',
    ])
  })
})
