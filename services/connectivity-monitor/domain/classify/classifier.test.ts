import { describe, expect, it } from 'vitest'
import { loadMonitorConfig } from '../../config.ts'
import type { Evidence, Target, TargetClassifier, Transition } from '../ports.ts'
import { createClassifier } from './classifier.ts'
import { ev, node, policy, service, upstream } from './fixtures/evidence.ts'
import { type ClassifierPolicy, classifierPolicy } from './policy.ts'

/** Each piece of evidence arrives at its send time plus its latency. */
function feed(c: TargetClassifier, ...evidence: Evidence[]): Transition[] {
  const out: Transition[] = []
  for (const e of evidence) {
    const t = c.observe(e, e.at + e.latencyMs)
    if (t) out.push(t)
  }
  return out
}

/** A classifier already up at `at` (one health answer at 0). */
function upAt(target: Target = upstream, p: ClassifierPolicy = policy): TargetClassifier {
  const c = createClassifier(target, p, 0)
  feed(c, ev('http', 0, 'ok'))
  expect(c.state).toBe('up')
  return c
}

const states = (list: Transition[]) => list.map((t) => `${t.from}>${t.to}`)

describe('from unknown', () => {
  it('is up on the first liveness, dated at it', () => {
    const c = createClassifier(upstream, policy, 0)
    expect(c.state).toBe('unknown')
    const [t] = feed(c, ev('http', 400, 'ok'))
    expect(t).toMatchObject({
      from: 'unknown',
      to: 'up',
      at: 400,
      decidedAt: 405,
      reason: 'answering: health ok',
    })
    expect(c.since).toBe(400)
  })

  it('does not take an open port for an app target, but does for a port-only one', () => {
    const app = createClassifier(upstream, policy, 0)
    expect(feed(app, ev('tcp', 100, 'ok'), ev('tcp', 1100, 'ok'))).toEqual([])
    const box = createClassifier(node, policy, 0)
    expect(states(feed(box, ev('ssh', 100, 'ok')))).toEqual(['unknown>up'])
  })

  it('gives a service of ours its start-up grace: unknown while it starts, down only after, dated from then', () => {
    const graced = { ...policy, startupGraceMs: 30_000 }
    const c = createClassifier(service, graced, 0)
    const early = Array.from({ length: 8 }, (_, i) => ev('http', 1000 + i * 250, 'refused', 1))
    expect(feed(c, ...early)).toEqual([])
    expect(c.state).toBe('unknown')
    expect(c.tick(31_000)).toMatchObject({ from: 'unknown', to: 'down', at: 30_000 })
    // An upstream has no such grace: it was running before the monitor started.
    const u = createClassifier(upstream, graced, 0)
    expect(states(feed(u, ...early))).toEqual(['unknown>down'])
  })

  it('is down after two failures, dated at the first', () => {
    const c = createClassifier(upstream, policy, 0)
    expect(feed(c, ev('tcp', 100, 'refused'))).toEqual([])
    const [t] = feed(c, ev('http', 350, 'refused'))
    expect(t).toMatchObject({ from: 'unknown', to: 'down', at: 100, reason: 'connection refused twice' })
  })
})

describe('down (hard)', () => {
  it('needs two hard failures in a row from any layers, dated between the last ok and the first failure', () => {
    const c = upAt()
    feed(c, ev('tcp', 1000, 'ok'), ev('http', 2000, 'ok'), ev('tcp', 3000, 'ok'))
    expect(feed(c, ev('tcp', 4000, 'refused', 1))).toEqual([])
    const [t] = feed(c, ev('http', 4250, 'refused', 1))
    expect(t).toMatchObject({ to: 'down', at: 3500, decidedAt: 4251, reason: 'connection refused twice' })
    expect(t!.evidence.map((e) => [e.layer, e.at])).toEqual([
      ['tcp', 3000],
      ['tcp', 4000],
      ['http', 4250],
    ])
  })

  it('dates at the first failure when the last ok is two intervals or more before it', () => {
    const c = upAt()
    const [t] = feed(c, ev('tcp', 6000, 'refused'), ev('tcp', 6250, 'refused'))
    expect(t).toMatchObject({ to: 'down', at: 6000 })
  })

  it('takes a single failed probe followed by a success for no change', () => {
    const c = upAt()
    expect(feed(c, ev('tcp', 1000, 'refused'), ev('http', 1250, 'ok'), ev('tcp', 1500, 'refused'))).toEqual(
      [],
    )
    expect(c.state).toBe('up')
  })

  it('is not fooled by a late ok sent before the first failure', () => {
    const c = upAt()
    feed(c, ev('tcp', 1000, 'refused', 1))
    expect(c.observe(ev('http', 900, 'ok', 400), 1300)).toBeNull()
    expect(states(feed(c, ev('tcp', 1250, 'refused', 1)))).toEqual(['up>down'])
  })

  it('is not held back by a functional check in flight: refused is an answer', () => {
    const c = upAt()
    c.started('functional', 900)
    expect(states(feed(c, ev('tcp', 1000, 'refused'), ev('http', 1200, 'reset')))).toEqual(['up>down'])
  })

  it('does not confirm a refusal with a check sent less than MONITOR_CONFIRM_MS after it (a blip)', () => {
    const c = upAt()
    expect(feed(c, ev('http', 1000, 'refused', 0), ev('tcp', 1036, 'refused', 1))).toEqual([])
    expect(c.tick(1500)).toBeNull()
    expect(feed(c, ev('http', 1250, 'ok'))).toEqual([])
    expect(c.state).toBe('up')
    // Still refusing when the next check goes: that one confirms, dated between the last ok and the first failure.
    feed(c, ev('http', 2000, 'refused', 0), ev('tcp', 2036, 'refused', 1))
    expect(feed(c, ev('tcp', 2200, 'refused', 1))).toMatchObject([{ to: 'down', at: 1625 }])
  })

  it('takes one failure for down when MONITOR_DOWN_AFTER is 1, with no spread to wait for', () => {
    const p = classifierPolicy(loadMonitorConfig({ MONITOR_DOWN_AFTER: '1' }))
    expect(p.confirmSpanMs).toBe(0)
    const c = upAt(upstream, { ...policy, downAfter: 1, confirmSpanMs: p.confirmSpanMs })
    expect(states(feed(c, ev('tcp', 1000, 'refused')))).toEqual(['up>down'])
  })

  it('counts a dead app behind an open port (docker-proxy resets) though the port answers', () => {
    const c = upAt()
    expect(
      states(feed(c, ev('http', 2000, 'reset'), ev('tcp', 2100, 'ok'), ev('http', 2250, 'reset'))),
    ).toEqual(['up>down'])
  })
})

describe('down (app)', () => {
  it('calls a target whose port accepts but whose health times out down after two, dated from the last liveness', () => {
    const c = upAt(service)
    feed(c, ev('http', 2000, 'ok'), ev('tcp', 3000, 'ok'))
    expect(feed(c, ev('http', 4000, 'timeout', 1500), ev('tcp', 4100, 'ok'))).toEqual([])
    const [t] = feed(c, ev('http', 5750, 'timeout', 1500))
    expect(t).toMatchObject({ to: 'down', at: 3000, decidedAt: 7250 })
    expect(t!.reason).toBe('health timed out twice (1.5 s), with nothing answering in between')
  })

  it('waits for a functional check in flight, then decides on the tick once its grace ran out', () => {
    const c = upAt()
    feed(c, ev('http', 2000, 'ok'), ev('http', 4000, 'timeout', 1500))
    c.started('functional', 5500)
    expect(feed(c, ev('http', 5750, 'timeout', 1500))).toEqual([])
    expect(c.tick(8400)).toBeNull()
    const t = c.tick(8500)
    expect(t).toMatchObject({ to: 'down', at: 3000, decidedAt: 8500 })
  })

  it('decides as soon as the functional check fails', () => {
    const c = upAt()
    feed(c, ev('http', 4000, 'timeout', 1500))
    c.started('functional', 5500)
    feed(c, ev('http', 5750, 'timeout', 1500))
    expect(states(feed(c, ev('functional', 5500, 'timeout', 1000)))).toEqual(['up>down'])
  })

  it('is not down when the functional check answers: busy instead', () => {
    const c = upAt()
    feed(c, ev('http', 4000, 'timeout', 1500))
    c.started('functional', 5500)
    feed(c, ev('functional', 5500, 'ok', 300))
    const [t] = feed(c, ev('http', 5750, 'timeout', 1500))
    expect(t).toMatchObject({ to: 'busy', at: 4000 })
    expect(t!.reason).toBe('health timed out twice (1.5 s) while the functional check answered in 300 ms')
  })

  it('calls health answering 5xx with nothing else working down', () => {
    const c = upAt(service)
    expect(states(feed(c, ev('http', 2000, 'http_5xx'), ev('http', 2250, 'http_5xx')))).toEqual(['up>down'])
  })
})

describe('busy', () => {
  it('is busy, and never down, while health times out for a minute and real requests keep succeeding', () => {
    const c = upAt()
    const seen: Transition[] = []
    for (let t = 2000; t < 62_000; t += 100) {
      const e = t % 1750 < 100 ? ev('http', t, 'timeout', 1500) : ev('passive', t, 'ok', 300)
      seen.push(...feed(c, e))
      const tick = c.tick(t + 50)
      if (tick) seen.push(tick)
    }
    expect(states(seen)).toEqual(['up>busy'])
    expect(seen[0]!.reason).toMatch(/^health timed out twice \(1.5 s\) while \d+ real requests succeeded$/)
  })

  it('is busy on two slow health answers, and up again after two fast ones', () => {
    const c = upAt()
    expect(feed(c, ev('http', 2000, 'slow', 900))).toEqual([])
    const [busy] = feed(c, ev('http', 4000, 'slow', 900))
    expect(busy).toMatchObject({
      to: 'busy',
      at: 2000,
      reason: 'health slow twice (900 ms): slow, but answering',
    })
    expect(feed(c, ev('http', 6000, 'ok'))).toEqual([])
    expect(feed(c, ev('http', 8000, 'slow', 900))).toEqual([])
    expect(feed(c, ev('http', 10_000, 'ok'))).toEqual([])
    const [up] = feed(c, ev('http', 12_000, 'ok'))
    expect(up).toMatchObject({
      from: 'busy',
      to: 'up',
      at: 9000,
      reason: 'health fast again (2 answers under the slow threshold)',
    })
  })

  it('goes down once the liveness stops for longer than 10 s while the soft failures go on', () => {
    const c = upAt()
    feed(
      c,
      ev('http', 2000, 'timeout', 1500),
      ev('passive', 2500, 'ok', 200),
      ev('http', 3750, 'timeout', 1500),
    )
    expect(c.state).toBe('busy')
    // The last real request succeeded at 2.5 s; the app hangs right after.
    const later: Transition[] = []
    for (let t = 5500; t < 16_000; t += 1750) later.push(...feed(c, ev('http', t, 'timeout', 1500)))
    later.push(...[c.tick(12_600)].filter((t): t is Transition => t !== null))
    expect(states(later)).toEqual(['busy>down'])
    expect(later[0]!.at).toBe(3125)
    expect(later[0]!.decidedAt).toBeGreaterThan(12_700)
  })

  it('goes down at once on hard failures, busy or not', () => {
    const c = upAt()
    feed(c, ev('http', 2000, 'slow', 900), ev('http', 4000, 'slow', 900))
    expect(c.state).toBe('busy')
    expect(states(feed(c, ev('tcp', 5000, 'refused'), ev('passive', 5200, 'refused')))).toEqual(['busy>down'])
  })
})

describe('degraded', () => {
  const mixed = (c: TargetClassifier, from: number, failEvery: number, n: number) => {
    const out: Transition[] = []
    for (let i = 0; i < n; i++) {
      const at = from + i * 500
      out.push(...feed(c, ev('passive', at, i % failEvery === failEvery - 1 ? 'http_5xx' : 'ok', 50)))
    }
    return out
  }

  it('is degraded when, within 30 s, 3 or more answers and 30 % or more fail while others succeed', () => {
    const c = upAt()
    const seen = mixed(c, 1000, 3, 9)
    expect(states(seen)).toEqual(['up>degraded'])
    expect(seen[0]).toMatchObject({ at: 2000, decidedAt: 5050 })
    expect(seen[0]!.reason).toBe(
      '3 of 10 answers failed in the last 30 s (real requests answered 5xx 3 times) while others succeed',
    )
  })

  it('is not degraded by fewer than 3 failures, nor by a small share of them', () => {
    const few = upAt()
    expect(mixed(few, 1000, 3, 8)).toEqual([])
    const small = upAt()
    expect(mixed(small, 1000, 4, 40)).toEqual([])
    expect(small.state).toBe('up')
  })

  it('is up again after 10 answers in a row without a failure, dated between the last failure and the first of them', () => {
    const c = upAt()
    mixed(c, 1000, 3, 9)
    expect(c.state).toBe('degraded')
    const clean: Transition[] = []
    for (let i = 0; i < 10; i++) clean.push(...feed(c, ev('passive', 6000 + i * 500, 'ok', 50)))
    expect(states(clean)).toEqual(['degraded>up'])
    expect(clean[0]).toMatchObject({ at: 5500, reason: 'no failures in the last 10 answers' })
  })
})

describe('recovery from down', () => {
  const downAt = (target: Target = upstream) => {
    const c = upAt(target)
    feed(c, ev('tcp', 1000, 'refused', 1), ev('tcp', 1250, 'refused', 1))
    expect(c.state).toBe('down')
    return c
  }

  it('leaves the failures of the down spell out of the mix: no degraded spell right after recovering', () => {
    const c = upAt()
    // Real traffic failing through a 3 s outage: many failures in the 30 s window.
    const spell = Array.from({ length: 12 }, (_, i) => ev('passive', 1000 + i * 250, 'refused', 1))
    expect(states(feed(c, ...spell))).toEqual(['up>down'])
    const after = Array.from({ length: 12 }, (_, i) => ev('passive', 4000 + i * 250, 'ok', 20))
    expect(states(feed(c, ...after))).toEqual(['down>up'])
    expect(c.state).toBe('up')
  })

  it('needs two successes in a row, dated between the last failure and the first success', () => {
    const c = downAt()
    expect(feed(c, ev('tcp', 3000, 'refused', 1), ev('http', 3250, 'ok'))).toEqual([])
    const [t] = feed(c, ev('http', 3500, 'ok'))
    expect(t).toMatchObject({
      from: 'down',
      to: 'up',
      at: 3125,
      decidedAt: 3505,
      reason: 'answering: health ok twice',
    })
  })

  it('starts counting again after a failure between the successes', () => {
    const c = downAt()
    expect(feed(c, ev('http', 3000, 'ok'), ev('tcp', 3100, 'refused'), ev('http', 3250, 'ok'))).toEqual([])
    expect(states(feed(c, ev('http', 3500, 'ok')))).toEqual(['down>up'])
  })

  it('does not take an open port for an app back, but does for a node', () => {
    const app = downAt()
    expect(feed(app, ev('tcp', 3000, 'ok'), ev('tcp', 3250, 'ok'), ev('tcp', 3500, 'ok'))).toEqual([])
    const box = createClassifier(node, policy, 0)
    feed(box, ev('ssh', 0, 'ok'), ev('tcp', 1000, 'timeout', 1000), ev('ssh', 1250, 'refused'))
    expect(box.state).toBe('down')
    expect(states(feed(box, ev('tcp', 3000, 'ok'), ev('ssh', 3250, 'ok')))).toEqual(['down>up'])
  })

  it('dates the recovery from a probe still unanswered (a hung one) when it is later than the last known failure', () => {
    const c = upAt(service)
    feed(c, ev('http', 2000, 'timeout', 1500), ev('http', 2250, 'timeout', 1500))
    expect(c.state).toBe('down')
    c.started('http', 4000)
    c.started('http', 4750)
    feed(c, ev('http', 4000, 'timeout', 1500))
    c.started('http', 5500)
    // The probe sent at 4.75 s still hangs when those sent at 5.5 s and 5.75 s answer.
    const [t] = feed(c, ev('http', 5500, 'ok'), ev('http', 5750, 'ok'))
    expect(t).toMatchObject({ to: 'up', at: 5125 })
  })

  it('ignores a health probe sent before the recovery that times out after it', () => {
    const c = downAt()
    feed(c, ev('http', 3250, 'ok'), ev('http', 3500, 'ok'))
    expect(c.since).toBe(2250)
    expect(c.observe(ev('http', 2000, 'timeout', 1500), 3600)).toBeNull()
    expect(feed(c, ev('tcp', 4000, 'refused'))).toEqual([])
    expect(c.state).toBe('up')
  })
})

describe('late evidence', () => {
  it('never changes the state with evidence sent before the state began', () => {
    const c = upAt()
    feed(c, ev('http', 5000, 'ok'))
    expect(c.observe(ev('passive', -2000, 'refused'), 6000)).toBeNull()
    expect(c.observe(ev('passive', -1000, 'refused'), 6000)).toBeNull()
    expect(c.state).toBe('up')
  })
})

describe('tick', () => {
  it('makes a target unknown after MONITOR_STALE_AFTER_MS without any evidence, dated at the last', () => {
    const c = upAt()
    feed(c, ev('http', 2000, 'ok'))
    expect(c.tick(62_000)).toBeNull()
    expect(c.tick(62_005)).toMatchObject({
      from: 'up',
      to: 'unknown',
      at: 2005,
      reason: 'no evidence for 60 s',
    })
    expect(c.tick(200_000)).toBeNull()
    // Old successes do not count again: a fresh one is needed.
    expect(states(feed(c, ev('http', 200_000, 'ok')))).toEqual(['unknown>up'])
  })
})

describe('maintenance', () => {
  it('enters from any state, decides nothing on evidence, and ends in unknown with counting afresh', () => {
    const c = upAt()
    feed(c, ev('tcp', 1000, 'refused'), ev('tcp', 1250, 'refused'))
    expect(c.setMaintenance('swap: loading a model', 2000)).toMatchObject({
      from: 'down',
      to: 'maintenance',
      at: 2000,
      reason: 'planned maintenance: swap: loading a model',
    })
    expect(c.setMaintenance('still swapping', 2100)).toBeNull()
    expect(feed(c, ev('tcp', 3000, 'refused'), ev('http', 3250, 'refused'), ev('http', 3500, 'ok'))).toEqual(
      [],
    )
    expect(c.tick(100_000)).toBeNull()
    expect(c.probing(3600)).toBe('steady')
    expect(c.setMaintenance(null, 100_000)).toMatchObject({ from: 'maintenance', to: 'unknown', at: 100_000 })
    expect(c.setMaintenance(null, 100_001)).toBeNull()
    // The refusals during maintenance do not count: one more is not a down.
    expect(feed(c, ev('tcp', 100_100, 'refused'))).toEqual([])
    expect(states(feed(c, ev('http', 100_200, 'ok')))).toEqual(['unknown>up'])
  })
})

describe('probing', () => {
  it('is steady, fast on an unconfirmed failure and while down, steady again once up with no failure for 5 s', () => {
    const c = upAt()
    expect(c.probing(100)).toBe('steady')
    feed(c, ev('tcp', 1000, 'refused', 1))
    expect(c.probing(1001)).toBe('fast')
    feed(c, ev('tcp', 1250, 'refused', 1))
    expect(c.state).toBe('down')
    expect(c.probing(60_000)).toBe('fast')
    feed(c, ev('http', 61_000, 'ok'), ev('http', 61_250, 'ok'))
    expect(c.state).toBe('up')
    expect(c.probing(61_300)).toBe('steady')
  })

  it('is fast for 5 s after a slow answer', () => {
    const c = upAt()
    feed(c, ev('http', 2000, 'slow', 900))
    expect(c.probing(2900)).toBe('fast')
    expect(c.probing(7900)).toBe('steady')
  })

  it('is quiet while real requests succeed, until 5 s after the last', () => {
    const c = upAt()
    feed(c, ev('passive', 1000, 'ok', 100), ev('passive', 1500, 'ok', 100))
    expect(c.probing(1600)).toBe('quiet')
    expect(c.probing(6599)).toBe('quiet')
    expect(c.probing(6600)).toBe('steady')
  })
})

describe('transition evidence', () => {
  it('carries at most 10 pieces, oldest first', () => {
    const c = upAt(upstream, { ...policy, downAfter: 15 })
    const out = feed(c, ...Array.from({ length: 15 }, (_, i) => ev('tcp', 1000 + i * 250, 'refused', 1)))
    expect(out).toHaveLength(1)
    const ats = out[0]!.evidence.map((e) => e.at)
    expect(ats).toHaveLength(10)
    expect(ats).toEqual([...ats].sort((a, b) => a - b))
    expect(ats[0]).toBe(0)
    expect(ats.at(-1)).toBe(4500)
  })
})
