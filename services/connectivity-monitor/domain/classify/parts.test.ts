import { describe, expect, it } from 'vitest'
import { loadMonitorConfig } from '../../config.ts'
import { backdate } from './backdate.ts'
import { ev } from './fixtures/evidence.ts'
import { MixWindow } from './mix.ts'
import { classifierPolicy } from './policy.ts'
import { duration, story } from './reasons.ts'
import { deciding, EVIDENCE_LIMIT, EvidenceRun } from './streaks.ts'

describe('backdate', () => {
  it('takes the midpoint when the two are less than two intervals apart', () => {
    expect(backdate(10_000, 11_000, 1000)).toBe(10_500)
    expect(backdate(10_000, 11_999, 1000)).toBe(11_000)
  })

  it('takes the first evidence of the new state when they are further apart, or there is nothing before', () => {
    expect(backdate(10_000, 12_000, 1000)).toBe(12_000)
    expect(backdate(null, 12_000, 1000)).toBe(12_000)
    expect(backdate(13_000, 12_000, 1000)).toBe(12_000)
  })
})

describe('EvidenceRun', () => {
  it('counts every member and its hard ones, knows the earliest sent, keeps a bounded sample', () => {
    const run = new EvidenceRun()
    for (let i = 0; i < 30; i++) run.push(ev('tcp', 1000 + i * 100, 'refused'), i % 2 === 0)
    run.push(ev('http', 500, 'timeout'))
    expect(run.count).toBe(31)
    expect(run.hard).toBe(15)
    expect(run.first!.at).toBe(500)
    const sample = run.sample()
    expect(sample).toHaveLength(EVIDENCE_LIMIT)
    expect(sample.map((e) => e.at)).toEqual([...sample.map((e) => e.at)].sort((a, b) => a - b))
    expect(sample[0]!.at).toBe(500)
    expect(sample.at(-1)!.at).toBe(3900)
    expect(run.startedBefore(ev('tcp', 500, 'ok'))).toBe(true)
    expect(run.startedBefore(ev('tcp', 499, 'ok'))).toBe(false)
    run.clear()
    expect([run.count, run.hard, run.first, run.sample()]).toEqual([0, 0, null, []])
  })

  it('gives the deciding evidence oldest first, without repeats, at most ten', () => {
    const a = ev('tcp', 3, 'ok')
    const list = Array.from({ length: 20 }, (_, i) => ev('http', 100 + i, 'timeout'))
    const picked = deciding(a, null, list, a)
    expect(picked).toHaveLength(10)
    expect(picked[0]).toBe(a)
    expect(picked.at(-1)!.at).toBe(119)
  })
})

describe('MixWindow', () => {
  it('counts app answers by send time over the last 30 s only', () => {
    const mix = new MixWindow(30_000)
    mix.add(ev('passive', 1000, 'ok'), 1000)
    mix.add(ev('passive', 2000, 'http_5xx'), 2000)
    mix.add(ev('passive', 20_000, 'http_5xx'), 20_000)
    expect(mix.counts(20_000)).toEqual({ ok: 1, failed: 2 })
    expect(mix.counts(31_500)).toEqual({ ok: 0, failed: 2 })
    expect(mix.counts(60_000)).toEqual({ ok: 0, failed: 0 })
    // Evidence from before the window, reported late, does not count.
    mix.add(ev('passive', 10_000, 'http_5xx'), 45_000)
    expect(mix.counts(45_000)).toEqual({ ok: 0, failed: 1 })
  })

  it('counts answers in a row since the last failure, and keeps the recent failures', () => {
    const mix = new MixWindow(30_000)
    mix.add(ev('passive', 1000, 'http_5xx'), 1000)
    mix.add(ev('passive', 1100, 'ok'), 1100)
    mix.add(ev('passive', 1200, 'ok'), 1200)
    expect([mix.clean, mix.firstClean!.at, mix.lastFailure!.at]).toEqual([2, 1100, 1000])
    mix.add(ev('http', 1300, 'bad_status'), 1300)
    expect([mix.clean, mix.firstClean]).toEqual([0, null])
    expect(mix.recentFailures(1300).map((e) => e.at)).toEqual([1000, 1300])
    expect(mix.recentFailures(31_100).map((e) => e.at)).toEqual([1300])
    mix.reset()
    expect(mix.counts(1300)).toEqual({ ok: 0, failed: 0 })
  })
})

describe('reasons', () => {
  it('tells what was seen in plain words, grouped, with timeouts', () => {
    expect(story([ev('tcp', 0, 'refused'), ev('http', 1, 'refused')])).toBe('connection refused twice')
    expect(
      story([ev('http', 0, 'timeout', 1500), ev('http', 2, 'timeout', 1500), ev('http', 3, 'timeout', 1500)]),
    ).toBe('health timed out 3 times (1.5 s)')
    expect(story([ev('http', 0, 'timeout', 1500), ev('tcp', 1, 'refused')])).toBe(
      'health timed out (1.5 s), then connection refused',
    )
    expect(story([ev('passive', 0, 'http_5xx')])).toBe('real requests answered 5xx')
    expect([duration(300), duration(1500), duration(2000)]).toEqual(['300 ms', '1.5 s', '2 s'])
  })
})

describe('classifierPolicy', () => {
  it('reads the counts, staleness and intervals from the config; passive traffic is bounded like health', () => {
    const policy = classifierPolicy(
      loadMonitorConfig({ MONITOR_DOWN_AFTER: '3', MONITOR_UP_AFTER: '4', MONITOR_HTTP_INTERVAL_MS: '1500' }),
    )
    expect(policy).toMatchObject({ downAfter: 3, upAfter: 4, staleAfterMs: 60_000, pendingGraceMs: 3000 })
    expect(policy.intervalMs).toEqual({
      tcp: 1000,
      http: 1500,
      functional: 60_000,
      ssh: 10_000,
      passive: 1500,
    })
  })
})
