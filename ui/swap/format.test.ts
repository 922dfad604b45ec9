import { describe, expect, it } from 'vitest'
import { catalogModel, fitsAnswer, refusedAnswer, tightAnswer } from '../fixtures/swap.ts'
import {
  aboutDuration,
  clockUtc,
  duration,
  gib,
  inWords,
  modeWords,
  pct,
  rate,
  sumMs,
  untilWords,
} from './format.ts'
import { fitWords, successfulLoadsS, usualLoadS } from './recipe-list.tsx'

const GIB = 1024 ** 3

describe('aboutDuration', () => {
  it('says unknown for missing or non-finite estimates', () => {
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY])
      expect(aboutDuration(v)).toBe('unknown')
  })

  it('rounds seconds to 5, never below "about 5 s", negative as zero', () => {
    expect(aboutDuration(0)).toBe('about 5 s')
    expect(aboutDuration(-30)).toBe('about 5 s')
    expect(aboutDuration(12)).toBe('about 10 s')
    expect(aboutDuration(13)).toBe('about 15 s')
    expect(aboutDuration(54)).toBe('about 55 s')
  })

  it('moves to minutes once the rounded value reaches a minute (58 s is "about 1 min", not "about 60 s")', () => {
    expect(aboutDuration(57)).toBe('about 55 s')
    expect(aboutDuration(58)).toBe('about 1 min')
    expect(aboutDuration(60)).toBe('about 1 min')
    expect(aboutDuration(95)).toBe('about 2 min')
    expect(aboutDuration(240)).toBe('about 4 min')
  })

  it('moves to hours at 90 minutes', () => {
    expect(aboutDuration(89 * 60)).toBe('about 89 min')
    expect(aboutDuration(90 * 60)).toBe('about 1.5 h')
    expect(aboutDuration(3 * 3600)).toBe('about 3.0 h')
  })
})

describe('duration', () => {
  it('is exact: ms below a second, then s, then min and s', () => {
    expect(duration(null)).toBe('—')
    expect(duration(Number.NaN)).toBe('—')
    expect(duration(0)).toBe('0 ms')
    expect(duration(800.4)).toBe('800 ms')
    expect(duration(999.6)).toBe('1 s')
    expect(duration(1000)).toBe('1 s')
    expect(duration(59_400)).toBe('59 s')
    expect(duration(59_600)).toBe('1 min')
    expect(duration(125_000)).toBe('2 min 5 s')
    expect(duration(3_600_000)).toBe('60 min')
  })

  it('sums the per-state durations of a job', () => {
    expect(sumMs(null)).toBeNull()
    expect(sumMs({})).toBe(0)
    expect(duration(sumMs({ draining: 1000, loading: 200_000, warming: 24_000 }))).toBe('3 min 45 s')
  })
})

describe('gib', () => {
  it('uses one decimal below 10 GiB and none from there, on the rounded value', () => {
    expect(gib(null)).toBe('—')
    expect(gib(undefined)).toBe('—')
    expect(gib(Number.NaN)).toBe('—')
    expect(gib(0)).toBe('0.0 GiB')
    expect(gib(1.5 * GIB)).toBe('1.5 GiB')
    expect(gib(9.94 * GIB)).toBe('9.9 GiB')
    expect(gib(9.97 * GIB)).toBe('10 GiB')
    expect(gib(10 * GIB)).toBe('10 GiB')
    expect(gib(119.6 * GIB)).toBe('120 GiB')
  })
})

describe('words for numbers', () => {
  it('names the mode, a percentage and a token rate, with a dash when unknown', () => {
    expect(modeWords('cluster')).toBe('across both Sparks')
    expect(modeWords('solo')).toBe('on one Spark')
    expect(pct(37.44, 1)).toBe('37.4 %')
    expect(pct(null)).toBe('—')
    expect(rate(42.57)).toBe('42.6 tok/s')
    expect(rate(1234.4)).toBe('1234 tok/s')
    expect(rate(Number.POSITIVE_INFINITY)).toBe('—')
  })
})

describe('usualLoadS', () => {
  const rec = (outcome: string, total_s: number) => ({
    started_at: '2030-01-01T00:00:00.000Z',
    outcome,
    total_s,
    phases: {},
  })

  it('is null without a successful load', () => {
    expect(usualLoadS({ history: [] })).toBeNull()
    expect(usualLoadS({ history: [rec('failed', 50), rec('rolled_back', 70)] })).toBeNull()
  })

  it('is the median of successful loads only, whatever their order', () => {
    expect(
      usualLoadS({ history: [rec('ready', 300), rec('failed', 900), rec('ready', 240), rec('ready', 200)] }),
    ).toBe(240)
    expect(usualLoadS({ history: [rec('ready', 400), rec('ok', 100)] })).toBe(250)
    expect(usualLoadS({ history: [rec('ready', 90)] })).toBe(90)
    expect(successfulLoadsS(catalogModel('x', { history: [rec('ready', 1), rec('cancelled', 2)] }))).toEqual([
      1,
    ])
  })
})

describe('fitWords', () => {
  it('turns each verdict into a state and words', () => {
    expect(fitWords(undefined)).toEqual({ state: 'unknown', text: 'Not checked' })
    expect(fitWords({ error: 'timed out' })).toEqual({ state: 'unknown', text: 'Could not check: timed out' })
    expect(fitWords(fitsAnswer('a'))).toEqual({ state: 'fits', text: 'Fits' })
    expect(fitWords(tightAnswer('a'))).toEqual({ state: 'tight', text: tightAnswer('a').fit!.message })
    expect(fitWords(refusedAnswer('a'))).toEqual({ state: 'no-fit', text: refusedAnswer('a').fit!.message })
  })

  it('says why a recipe cannot run when the controller gives no fit at all', () => {
    const gap = {
      ...fitsAnswer('a'),
      valid: false,
      fit: null,
      commands: null,
      reasons: ['inventory: no node with an SSH user'],
    }
    expect(fitWords(gap)).toEqual({ state: 'invalid', text: 'inventory: no node with an SSH user' })
    expect(fitWords({ ...gap, reasons: [] })).toEqual({ state: 'invalid', text: 'Cannot run here' })
  })
})

describe('clockUtc, inWords and untilWords', () => {
  const now = new Date('2026-11-26T03:49:04.000Z')
  it('says a deadline as a person reads it: the UTC clock time and how long from now', () => {
    expect(untilWords('2026-11-26T04:03:04.542000+00:00', now)).toBe('04:03 UTC (in 14 min)')
    expect(untilWords('2026-11-26T03:49:44.000Z', now)).toBe('03:49 UTC (in 40 s)')
    expect(untilWords('2026-11-26T06:00:04.000Z', now)).toBe('06:00 UTC (in 2 h 11 min)')
    expect(untilWords('2026-11-26T03:40:00.000Z', now)).toBe('03:40 UTC (now)')
  })
  it('never prints NaN for a missing or broken time', () => {
    expect(untilWords(undefined, now)).toBe('an unknown time')
    expect(untilWords('not a time', now)).toBe('an unknown time')
    expect(inWords(null, now)).toBe('')
    expect(clockUtc('2026-11-26T03:49:17.000Z', true)).toBe('03:49:17 UTC')
  })
})
