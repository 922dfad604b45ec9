/**
 * The four outages as evidence streams, run through the classifier with the engine's
 * probing pattern (fixtures/probe-sim.ts) of a 1 s TCP and 2 s health probe: durations within ±1 s, busy
 * never down, a single failed probe no outage, a short outage caught from real traffic alone.
 */
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { loadMonitorConfig } from '../../config.ts'
import type { Transition } from '../ports.ts'
import { type ProbeLayer, scheduleSettings } from '../schedule/delay.ts'
import { policy, service, upstream } from './fixtures/evidence.ts'
import { type Answer, type SimRun, simulate, type World } from './fixtures/probe-sim.ts'

// The pattern these scenarios were written for: a steady 1 s TCP connect beside a 2 s health check.
// The engine's defaults (1 s health, TCP only in bursts) are proven end to end by
// tests/system/monitor-*.test.ts and bench/monitor.ts.
const settings = scheduleSettings(
  loadMonitorConfig({ MONITOR_HTTP_INTERVAL_MS: '2000', MONITOR_QUIET_FACTOR: '5' }),
)
const TIMEOUT: Record<ProbeLayer, number> = { tcp: 1000, http: 1500, functional: 10_000, ssh: 3000 }
const ok = (latencyMs = 3): Answer => ({ ok: true, latencyMs })
const refused: Answer = { ok: false, kind: 'refused', latencyMs: 1 }
const timedOut = (layer: ProbeLayer): Answer => ({ ok: false, kind: 'timeout', latencyMs: TIMEOUT[layer] })
const healthy = (layer: ProbeLayer) => ok(layer === 'functional' ? 300 : 3)
const during = (from: number, to: number) => (at: number) => at >= from && at < to

function outages(run: SimRun) {
  const list: Array<{ start: Transition; end: Transition | null }> = []
  for (const t of run.transitions) {
    if (t.to === 'down') list.push({ start: t, end: null })
    else if (t.from === 'down') list.at(-1)!.end = t
  }
  return list
}

/** The one outage of the run, with how far its start, end and duration are from the truth. */
function oneOutage(run: SimRun, from: number, to: number) {
  const found = outages(run)
  expect(found, JSON.stringify(run.transitions.map(({ from, to, at }) => ({ from, to, at })))).toHaveLength(1)
  const { start, end } = found[0]!
  expect(end).not.toBeNull()
  const error = { start: start.at - from, end: end!.at - to, duration: end!.at - start.at - (to - from) }
  return { start, end: end!, error }
}

function expectOneOutage(run: SimRun, from: number, to: number) {
  const outage = oneOutage(run, from, to)
  expect(Math.abs(outage.error.start)).toBeLessThanOrEqual(1000)
  expect(Math.abs(outage.error.end)).toBeLessThanOrEqual(1000)
  expect(Math.abs(outage.error.duration)).toBeLessThanOrEqual(1000)
  return outage
}

const seeds = Array.from({ length: 12 }, (_, i) => i + 1)

describe('upstream stopped, then restarted (connection refused)', () => {
  it('records 3 s outages within ±1 s, each detected within 2 s (300 runs)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(seed)
      const from = 20_000 + Math.floor(random() * 2000)
      const stopped = during(from, from + 3000)
      const world: World = { probe: (layer, at) => (stopped(at) ? refused : healthy(layer)) }
      const run = simulate({
        target: seed % 2 ? upstream : service,
        policy,
        settings,
        world,
        untilMs: 40_000,
        random,
      })
      const { start, end } = expectOneOutage(run, from, from + 3000)
      expect(start.decidedAt - from).toBeLessThanOrEqual(2000)
      expect(end.decidedAt - (from + 3000)).toBeLessThanOrEqual(2000)
      expect(start.reason).toMatch(/connection refused/)
      expect(run.transitions.at(-1)!.to).toBe('up')
    }
  })

  it.each([2000, 5000, 12_000])('gets a %i ms outage right to a second too', (length) => {
    const random = seededRandom(length)
    const stopped = during(15_300, 15_300 + length)
    const world: World = { probe: (layer, at) => (stopped(at) ? refused : healthy(layer)) }
    expectOneOutage(
      simulate({ target: upstream, policy, settings, world, untilMs: 40_000, random }),
      15_300,
      15_300 + length,
    )
  })
})

describe('a port that refuses from the start', () => {
  it('goes from unknown to down, dated at the first refusal, and never up', () => {
    const world: World = { probe: () => refused }
    const run = simulate({
      target: upstream,
      policy,
      settings,
      world,
      untilMs: 30_000,
      random: seededRandom(3),
    })
    expect(run.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['unknown>down'])
    expect(run.transitions[0]!.at).toBeLessThanOrEqual(1000)
    expect(run.transitions[0]!.decidedAt).toBeLessThanOrEqual(2000)
    expect(run.statesSeen.has('up')).toBe(false)
  })
})

describe('a server that accepts but never answers', () => {
  const hangs = (from: number, to: number): World => ({
    probe: (layer, at) => (layer !== 'tcp' && during(from, to)(at) ? timedOut(layer) : healthy(layer)),
  })

  it('is down from the start though its port accepts, and never up', () => {
    const run = simulate({
      target: upstream,
      policy,
      settings,
      world: hangs(0, 1e9),
      untilMs: 30_000,
      random: seededRandom(4),
    })
    expect(run.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['unknown>down'])
    expect(run.transitions[0]!.reason).toMatch(/health timed out/)
  })

  // Idle, a hang shows only through the health probe (every 2 s ± 10 %), so its start is known
  // to within half that gap (up to 1.1 s); the end, probed in bursts, to within ~0.6 s.
  it('records 6 s hangs within ±1 s (99 % of 300 runs; never off by more than 1.2 s)', () => {
    const errors: number[] = []
    for (let seed = 1; seed <= 300; seed++) {
      const random = seededRandom(100 + seed)
      const from = 20_000 + Math.floor(random() * 2000)
      const target = seed % 2 ? upstream : service
      const run = simulate({
        target,
        policy,
        settings,
        world: hangs(from, from + 6000),
        untilMs: 45_000,
        random,
      })
      const { start, error } = oneOutage(run, from, from + 6000)
      expect(start.reason).toMatch(/health timed out/)
      expect(run.statesSeen.has('busy')).toBe(false)
      expect(Math.abs(error.start)).toBeLessThanOrEqual(1100)
      expect(Math.abs(error.end)).toBeLessThanOrEqual(700)
      errors.push(Math.abs(error.duration))
    }
    expect(Math.max(...errors)).toBeLessThanOrEqual(1200)
    expect(errors.filter((e) => e <= 1000).length / errors.length).toBeGreaterThanOrEqual(0.99)
  })

  it('does the same for a service with no functional check', () => {
    const random = seededRandom(9)
    const run = simulate({
      target: service,
      policy,
      settings,
      world: hangs(20_500, 25_500),
      untilMs: 40_000,
      random,
    })
    expectOneOutage(run, 20_500, 25_500)
  })
})

describe('a busy upstream: health times out for 60 s while it still works', () => {
  const busyHealth = during(10_000, 70_000)
  const probe = (layer: ProbeLayer, at: number): Answer =>
    layer === 'http' && busyHealth(at) ? timedOut('http') : healthy(layer)

  it.each(seeds)('is busy, never down, while real requests succeed every 200 ms (seed %i)', (seed) => {
    const traffic = { everyMs: 200, answer: () => ok(300), reportDelayMs: 500 }
    const random = seededRandom(200 + seed)
    const run = simulate({
      target: upstream,
      policy,
      settings,
      world: { probe, traffic },
      untilMs: 90_000,
      random,
    })
    expect(run.statesSeen.has('down')).toBe(false)
    expect(run.transitions.map((t) => t.to)).toEqual(['up', 'busy', 'up'])
    // With traffic flowing the probes are quiet (health every 10 s): busy shows at the next one.
    const busy = run.transitions[1]!
    expect(busy.at).toBeGreaterThanOrEqual(10_000)
    expect(busy.at).toBeLessThanOrEqual(21_000)
    expect(busy.reason).toMatch(/health timed out .* while \d+ real requests succeeded/)
    expect(Math.abs(run.transitions[2]!.at - 70_000)).toBeLessThanOrEqual(2500)
  })

  it.each(seeds)(
    'is busy, never down, with no traffic while the functional check answers in 300 ms (seed %i)',
    (seed) => {
      const random = seededRandom(300 + seed)
      const run = simulate({ target: upstream, policy, settings, world: { probe }, untilMs: 90_000, random })
      expect(run.statesSeen.has('down')).toBe(false)
      expect(run.transitions.map((t) => t.to)).toEqual(['up', 'busy', 'up'])
      expect(run.transitions[1]!.reason).toMatch(/while the functional check answered in 300 ms/)
    },
  )

  it('still goes down when it is stopped while busy (refused is an answer, not slowness)', () => {
    const stopped = during(40_000, 45_000)
    const traffic = { everyMs: 200, answer: (at: number) => (stopped(at) ? refused : ok(300)) }
    const world: World = { probe: (layer, at) => (stopped(at) ? refused : probe(layer, at)), traffic }
    const run = simulate({
      target: upstream,
      policy,
      settings,
      world,
      untilMs: 60_000,
      random: seededRandom(5),
    })
    expectOneOutage(run, 40_000, 45_000)
  })
})

describe('blips and real traffic', () => {
  it('takes a single failed probe for no outage, nor any change', () => {
    const world: World = {
      probe: (layer, at) => (layer === 'tcp' && during(12_000, 13_000)(at) ? refused : healthy(layer)),
    }
    const run = simulate({
      target: upstream,
      policy,
      settings,
      world,
      untilMs: 30_000,
      random: seededRandom(6),
    })
    expect(run.transitions.map((t) => t.to)).toEqual(['up'])
  })

  it('catches a 1.5 s outage from real traffic alone, to a fraction of a second', () => {
    const stopped = during(10_000, 11_500)
    const traffic = {
      everyMs: 100,
      answer: (at: number) => (stopped(at) ? refused : ok(20)),
      reportDelayMs: 250,
    }
    const world: World = { probe: healthy, traffic }
    const quietTarget = { ...upstream, tcp: undefined, http: undefined, functional: undefined }
    const run = simulate({
      target: quietTarget,
      policy,
      settings,
      world,
      untilMs: 20_000,
      random: seededRandom(7),
    })
    const { start, end } = expectOneOutage(run, 10_000, 11_500)
    expect(Math.abs(start.at - 10_000)).toBeLessThanOrEqual(100)
    expect(Math.abs(end.at - 11_500)).toBeLessThanOrEqual(100)
    expect(start.decidedAt - 10_000).toBeLessThanOrEqual(2000)
  })
})
