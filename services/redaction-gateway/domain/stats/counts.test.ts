import { describe, expect, it } from 'vitest'
import { countsOfScrub, HOUR_MS, totalsOf, windowOf } from './counts.ts'

describe('counts per hour', () => {
  it('ends the window with the current hour and reaches back hours − 1 more', () => {
    const now = new Date(Date.UTC(2026, 11, 6, 9, 59, 59))
    const toHour = Date.UTC(2026, 11, 6, 9)
    expect(windowOf(now, 1)).toEqual({ fromHour: toHour, toHour })
    expect(windowOf(now, 24)).toEqual({ fromHour: toHour - 23 * HOUR_MS, toHour })
  })

  it('adds the hours into totals per type and kind', () => {
    const totals = totalsOf([
      { hour: 0, scrubs: 2, types: { PERSON: 2, EMAIL: 1 }, tier1: { ssn: 1 } },
      { hour: HOUR_MS, scrubs: 1, types: { PERSON: 1 }, tier1: { iban: 2 } },
    ])
    expect(totals).toEqual({ scrubs: 3, types: { PERSON: 3, EMAIL: 1 }, tier1: { ssn: 1, iban: 2 } })
  })

  it('takes a scrub’s counts by type and Tier-1 kind, leaving out what is undefined', () => {
    expect(countsOfScrub({ typeCounts: { PERSON: 2, ORG: undefined }, tier1Kinds: { ssn: 3 } })).toEqual({
      types: { PERSON: 2 },
      tier1: { ssn: 3 },
    })
    expect(countsOfScrub({ typeCounts: { EMAIL: 1 }, tier1Kinds: {} })).toEqual({
      types: { EMAIL: 1 },
      tier1: {},
    })
  })
})
