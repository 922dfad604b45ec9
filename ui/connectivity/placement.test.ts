/** Where outages sit on the timeline: clipped to the span, placed as shares of it, never invisible. */
import { describe, expect, it } from 'vitest'
import { outage } from '../fixtures/connectivity.ts'
import { MIN_WIDTH_PCT, placeOutages, ticks } from './placement.ts'

const FROM = Date.parse('2030-01-01T12:00:00Z')
const DAY = 24 * 3600_000
const TO = FROM + DAY
const at = (h: number) => new Date(FROM + h * 3600_000).toISOString()

describe('placeOutages', () => {
  it('places an outage by its start and length as percent of the span', () => {
    const [s] = placeOutages([outage('a', { started_at: at(6), ended_at: at(12) })], FROM, TO)
    expect(s).toMatchObject({ id: 'a', left: 25, width: 25 })
  })

  it('clips an outage that began before the span, and runs an ongoing one to its end', () => {
    const segs = placeOutages(
      [
        outage('before', { started_at: at(-2), ended_at: at(3) }),
        outage('open', { started_at: at(18), ended_at: null, ongoing: true }),
      ],
      FROM,
      TO,
    )
    expect(segs.map((s) => [s.id, s.left, s.width])).toEqual([
      ['before', 0, 12.5],
      ['open', 75, 25],
    ])
  })

  it('leaves out outages wholly outside the span', () => {
    const segs = placeOutages(
      [
        outage('old', { started_at: at(-5), ended_at: at(-4) }),
        outage('future', { started_at: at(25), ended_at: at(26) }),
      ],
      FROM,
      TO,
    )
    expect(segs).toEqual([])
  })

  it('draws a 2 s outage in a day as a sliver, kept inside the bar at its very end', () => {
    const short = outage('blip', {
      started_at: at(12),
      ended_at: new Date(FROM + 12 * 3600_000 + 2000).toISOString(),
    })
    const [s] = placeOutages([short], FROM, TO)
    expect(s?.width).toBe(MIN_WIDTH_PCT)
    expect(s?.left).toBe(50)
    const last = outage('end', {
      started_at: new Date(TO - 1000).toISOString(),
      ended_at: null,
      ongoing: true,
    })
    const [e] = placeOutages([last], FROM, TO)
    expect(e!.left + e!.width).toBeLessThanOrEqual(100)
  })

  it('sorts segments left to right and ignores unreadable times', () => {
    const segs = placeOutages(
      [
        outage('late', { started_at: at(20), ended_at: at(21) }),
        outage('bad', { started_at: 'not a time' }),
        outage('early', { started_at: at(1), ended_at: at(2) }),
      ],
      FROM,
      TO,
    )
    expect(segs.map((s) => s.id)).toEqual(['early', 'late'])
  })
})

describe('ticks', () => {
  it('marks every 6 h over a day and every day over a week', () => {
    expect(ticks(FROM, TO).map((t) => [t.left, t.label])).toEqual([
      [0, '12:00'],
      [25, '18:00'],
      [50, '00:00'],
      [75, '06:00'],
    ])
    const week = ticks(FROM, FROM + 7 * DAY)
    expect(week).toHaveLength(7)
    expect(week[0]?.label).toBe('01-02')
  })
})
