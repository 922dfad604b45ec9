import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { loadMonitorConfig } from '../../config.ts'
import { FUNCTIONAL_FAST_FLOOR_MS, type ProbeLayer, probeDelay, scheduleSettings } from './delay.ts'

const defaults = scheduleSettings(loadMonitorConfig({}))
const noJitter = { ...defaults, jitter: 0 }
const middle = () => 0.5

describe('scheduleSettings', () => {
  it('reads the intervals, burst, quiet factor, jitter and budget from the config', () => {
    expect(defaults).toEqual({
      intervalMs: { tcp: 1000, http: 1000, functional: 60_000, ssh: 10_000 },
      idleHttpMs: 1500,
      fastMs: 250,
      quietFactor: 1,
      jitter: 0.1,
      budgetPerSecond: 60,
    })
    const custom = scheduleSettings(
      loadMonitorConfig({ MONITOR_TCP_INTERVAL_MS: '700', MONITOR_JITTER: '3' }),
    )
    expect(custom.intervalMs.tcp).toBe(700)
    expect(custom.jitter).toBe(0.5)
  })
})

describe('probeDelay', () => {
  it.each<[ProbeLayer, number]>([
    ['tcp', 1000],
    ['http', 1500],
    ['functional', 60_000],
    ['ssh', 10_000],
  ])('runs %s at its own interval when steady (health at the idle interval)', (layer, interval) => {
    expect(probeDelay(layer, 'steady', noJitter, middle)).toBe(interval)
  })

  it('checks health at the plain interval while traffic flows, and never idles below it', () => {
    expect(probeDelay('http', 'quiet', noJitter, middle)).toBe(1000)
    const long = scheduleSettings(loadMonitorConfig({ MONITOR_HTTP_INTERVAL_MS: '2000' }))
    expect(probeDelay('http', 'steady', { ...long, jitter: 0 }, middle)).toBe(2000)
  })

  it('bursts TCP, health and SSH at the fast interval', () => {
    for (const layer of ['tcp', 'http', 'ssh'] as const)
      expect(probeDelay(layer, 'fast', noJitter, middle)).toBe(250)
  })

  it('never makes a fast probe slower than the steady one', () => {
    const slowBurst = { ...noJitter, fastMs: 5000 }
    expect(probeDelay('tcp', 'fast', slowBurst, middle)).toBe(1000)
  })

  it('keeps the functional check at its own interval in fast mode, and never under 5 s', () => {
    expect(probeDelay('functional', 'fast', noJitter, middle)).toBe(60_000)
    const often = { ...noJitter, intervalMs: { ...noJitter.intervalMs, functional: 1000 } }
    expect(probeDelay('functional', 'fast', often, middle)).toBe(FUNCTIONAL_FAST_FLOOR_MS)
    expect(probeDelay('functional', 'steady', often, middle)).toBe(1000)
  })

  it('slows every layer by the quiet factor while real traffic succeeds (1, not at all, by default)', () => {
    expect(probeDelay('http', 'quiet', noJitter, middle)).toBe(1000)
    const quieter = { ...noJitter, quietFactor: 2 }
    expect(probeDelay('tcp', 'quiet', quieter, middle)).toBe(2000)
    expect(probeDelay('http', 'quiet', quieter, middle)).toBe(2000)
    expect(probeDelay('functional', 'quiet', quieter, middle)).toBe(120_000)
  })

  it('spreads each delay by the jitter share either way, never further', () => {
    expect(probeDelay('http', 'quiet', defaults, () => 0)).toBe(900)
    expect(probeDelay('http', 'quiet', defaults, () => 0.999_999)).toBe(1100)
    const random = seededRandom(7)
    const delays = Array.from({ length: 2000 }, () => probeDelay('tcp', 'steady', defaults, random))
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(900)
    expect(Math.max(...delays)).toBeLessThanOrEqual(1100)
    // Spread out, not lined up: the delays take many values across the range.
    expect(new Set(delays).size).toBeGreaterThan(150)
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length
    expect(Math.abs(mean - 1000)).toBeLessThan(10)
  })
})
