import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { loadMonitorConfig } from '../../config.ts'
import { createProbeBudget } from './budget.ts'
import { type ProbeLayer, probeDelay, scheduleSettings } from './delay.ts'

describe('createProbeBudget', () => {
  it('lets a steady probe through only with a whole token', () => {
    const budget = createProbeBudget({ perSecond: 4 }, 0)
    expect([1, 2, 3, 4, 5].map(() => budget.take(0, false))).toEqual([true, true, true, true, false])
    expect(budget.take(249, false)).toBe(false)
    expect(budget.take(250, false)).toBe(true)
  })

  it('lets urgent probes borrow down to half a second of budget, and steady ones wait until it is paid back', () => {
    const budget = createProbeBudget({ perSecond: 10 }, 0)
    for (let i = 0; i < 10; i++) expect(budget.take(0, false)).toBe(true)
    expect(budget.take(0, false)).toBe(false)
    const urgent = Array.from({ length: 8 }, () => budget.take(0, true))
    expect(urgent).toEqual([true, true, true, true, true, false, false, false])
    // 5 tokens owed: a steady probe needs 600 ms of refill (back to one whole token).
    expect(budget.take(500, false)).toBe(false)
    expect(budget.take(600, false)).toBe(true)
  })

  it('caps a flood: urgent probes every millisecond for 10 s get the budget plus the borrowing, no more', () => {
    const budget = createProbeBudget({ perSecond: 40 }, 0)
    let granted = 0
    for (let t = 0; t < 10_000; t++) if (budget.take(t, true)) granted++
    // 40 to start with, 20 borrowed, 40 a second refilled.
    expect(granted).toBeLessThanOrEqual(40 + 20 + 400)
    expect(granted).toBeGreaterThanOrEqual(455)
    expect(budget.rate(10_000)).toBeLessThanOrEqual(46)
    // The rate window moves on: 10 s of nothing and it reads zero.
    expect(budget.rate(20_001)).toBe(0)
  })

  it('measures probes per second over the last 10 s, or the time since it began when shorter', () => {
    const budget = createProbeBudget({ perSecond: 100 }, 0)
    for (let t = 0; t < 2000; t += 100) budget.take(t, false)
    expect(budget.rate(2000)).toBe(10)
    for (let t = 2000; t < 30_000; t += 100) budget.take(t, false)
    expect(budget.rate(30_000)).toBeCloseTo(10, 0)
  })

  it('fits 20 targets at the default intervals in the default budget, every probe granted', () => {
    const settings = scheduleSettings(loadMonitorConfig({}))
    const budget = createProbeBudget({ perSecond: settings.budgetPerSecond }, 0)
    const random = seededRandom(20)
    // 17 services and upstreams (TCP, health, functional) and 3 nodes (TCP, SSH).
    const loops: Array<{ layer: ProbeLayer; due: number }> = []
    for (let i = 0; i < 20; i++) {
      const layers: ProbeLayer[] = i < 17 ? ['tcp', 'http', 'functional'] : ['tcp', 'ssh']
      // Started together, as at boot: the first probes are spread over one interval.
      for (const layer of layers) loops.push({ layer, due: random() * settings.intervalMs[layer] })
    }
    let sent = 0
    let refused = 0
    for (let t = 0; t < 120_000; t += 10)
      for (const loop of loops) {
        if (loop.due > t) continue
        if (budget.take(t, false)) sent++
        else refused++
        loop.due = t + probeDelay(loop.layer, 'steady', settings, random)
      }
    expect(refused).toBe(0)
    expect(budget.rate(120_000)).toBeGreaterThan(25)
    expect(budget.rate(120_000)).toBeLessThan(settings.budgetPerSecond)
    expect(sent).toBeGreaterThan(3000)
  })
})
