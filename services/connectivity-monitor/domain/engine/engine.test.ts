import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MonitorEvent } from '../../../../shared/contracts/connectivity-monitor.ts'
import { engineDeps, type FakeClassifier, fakeClassifier, sampleTarget } from '../../testing/engine-parts.ts'
import { type ProbeAnswer, scriptedProbes } from '../../testing/probes.ts'
import type { ProbeOptions, Target } from '../ports.ts'
import { createProbeBudget } from '../schedule/budget.ts'
import { createMonitorEngine, type MonitorEngine } from './engine.ts'

let engine: MonitorEngine | undefined

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-01-05T10:00:00Z') })
})
afterEach(async () => {
  await engine?.stop()
  engine = undefined
  vi.useRealTimers()
})

/** An engine whose probes answer from `answer`, every other part a recording stand-in. */
function started(answer: (t: Target, layer: string, options?: ProbeOptions) => ProbeAnswer, overrides = {}) {
  const scripted = scriptedProbes(answer)
  const classifiers = new Map<string, FakeClassifier>()
  const parts = engineDeps({
    probes: scripted.probes,
    classifierFor: (target, now) => {
      const c = fakeClassifier(target, now)
      classifiers.set(target.id, c)
      return c
    },
    ...overrides,
  })
  engine = createMonitorEngine(parts.deps)
  const events: MonitorEvent[] = []
  engine.subscribe((e) => events.push(e))
  engine.start()
  return { ...parts, scripted, classifiers, events, engine }
}

describe('monitor engine: state changes', () => {
  it('sends a change to the history, then the connectivity log, the alerter and the event stream', async () => {
    let up = true
    const m = started(() => (up ? { ok: true } : { ok: false, kind: 'refused' }))
    await vi.advanceTimersByTimeAsync(1500)
    expect(m.history.changes.map((c) => c.to)).toEqual(['up'])
    up = false
    await vi.advanceTimersByTimeAsync(2000)
    expect(m.history.changes.map((c) => c.to)).toEqual(['up', 'down'])
    expect(m.connectivityLog.transitions).toEqual(m.history.changes)
    expect(m.alerter.changes.map((a) => a.change)).toEqual(m.history.changes)
    const opened = m.alerter.changes[1]!.recorded.opened
    expect(opened).toMatchObject({ target: 'vllm', ongoing: true })
    expect(m.events.filter((e) => e.type !== 'report')).toEqual([
      expect.objectContaining({ type: 'state', target: 'vllm', from: 'unknown', to: 'up' }),
      expect.objectContaining({ type: 'state', target: 'vllm', from: 'up', to: 'down' }),
      { type: 'outage', outage: opened },
    ])
    up = true
    await vi.advanceTimersByTimeAsync(1000)
    expect(m.events.at(-1)).toMatchObject({ type: 'outage', outage: { ongoing: false } })
    expect(m.engine.views(Date.now())[0]).toMatchObject({
      id: 'vllm',
      state: 'up',
      reason: expect.any(String),
    })
  })

  it('probes at the burst interval as soon as a failure is seen, and half as often while the port refuses', async () => {
    let up = true
    const m = started(() => (up ? { ok: true } : { ok: false, kind: 'refused' }))
    await vi.advanceTimersByTimeAsync(1100)
    up = false
    const from = Date.now()
    // Steady tcp is every 1000 ms; after the first failure it is every 250 ms.
    await vi.advanceTimersByTimeAsync(4000)
    const tcp = m.scripted.of('vllm', 'tcp').filter((c) => c.at >= from)
    const gaps = tcp.slice(1).map((c, i) => c.at - tcp[i]!.at)
    expect(gaps.slice(0, 2)).toContain(250)
    // Down, its port refusing: the TCP burst alone watches for the port to open, every 500 ms.
    expect(gaps.slice(-3)).toEqual([500, 500, 500])
    const httpWhileDown = m.scripted.of('vllm', 'http').filter((c) => c.at >= from + 2000)
    expect(httpWhileDown).toEqual([])
  })

  it('keeps probing and logging when the history database fails', async () => {
    let up = true
    const m = started(() => (up ? { ok: true } : { ok: false, kind: 'refused' }))
    m.history.failing = true
    await vi.advanceTimersByTimeAsync(1500)
    up = false
    await vi.advanceTimersByTimeAsync(1500)
    expect(m.connectivityLog.transitions.map((c) => c.to)).toEqual(['up', 'down'])
    const before = m.scripted.calls.length
    await vi.advanceTimersByTimeAsync(1000)
    expect(m.scripted.calls.length).toBeGreaterThan(before)
  })
})

describe('monitor engine: probing', () => {
  it('never spends more than the probe budget over many targets', async () => {
    const targets = Array.from({ length: 20 }, (_, i) => sampleTarget(`t${i}`))
    const m = started(() => ({ ok: true }), {
      targets,
      budget: createProbeBudget({ perSecond: 10 }, Date.now()),
    })
    await vi.advanceTimersByTimeAsync(10_000)
    // 10 a second for 10 s, plus the one second's worth the bucket starts with.
    expect(m.scripted.calls.length).toBeLessThanOrEqual(110)
    expect(m.scripted.calls.length).toBeGreaterThanOrEqual(90)
    expect(m.engine.stats(Date.now()).probesPerS).toBeLessThanOrEqual(11)
  })

  it('lets a steady probe kept waiting a whole interval go ahead of the bursts', async () => {
    // Five targets failing burst on tcp and http every 250 ms: 40 probes/s wanted of a budget of 10.
    const failing = Array.from({ length: 5 }, (_, i) => sampleTarget(`f${i}`, { functional: undefined }))
    const quiet = sampleTarget('quiet', { http: undefined, functional: undefined })
    const m = started((t) => (t.id === 'quiet' ? { ok: true } : { ok: false, kind: 'refused' }), {
      targets: [...failing, quiet],
      budget: createProbeBudget({ perSecond: 10 }, Date.now()),
    })
    await vi.advanceTimersByTimeAsync(20_000)
    const gaps = m.scripted.of('quiet', 'tcp').map((c, i, all) => (i === 0 ? 0 : c.at - all[i - 1]!.at))
    // Its interval is 1 s: waiting at most one more for a token, never starved for good.
    expect(gaps.length).toBeGreaterThanOrEqual(9)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2200)
  })

  it('runs the functional check at once when a health answer is slow, and tells the classifier', async () => {
    const m = started((_t, layer) => (layer === 'http' ? { ok: true, slow: true } : { ok: true }))
    await vi.advanceTimersByTimeAsync(1100)
    const firstHttp = m.scripted.of('vllm', 'http')[0]!
    const functional = m.scripted.of('vllm', 'functional')
    expect(functional.length).toBeGreaterThanOrEqual(1)
    expect(functional[0]!.at - firstHttp.at).toBeLessThan(5)
    const told = m.classifiers.get('vllm')!.startedCalls
    expect(told).toContainEqual({ layer: 'functional', at: functional[0]!.at })
    // Every probe sent is told, whatever its layer.
    expect(told).toHaveLength(m.scripted.calls.length)
  })

  it('runs no second functional check while one is in flight', async () => {
    const m = started((_t, layer) =>
      layer === 'functional' ? 'hang' : layer === 'http' ? { ok: false, kind: 'timeout' } : { ok: true },
    )
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.of('vllm', 'http').length).toBeGreaterThan(3)
    expect(m.scripted.of('vllm', 'functional')).toHaveLength(1)
  })

  it('keeps one probe of a layer in flight, two for http while bursting', async () => {
    const box = sampleTarget('box', { http: undefined, functional: undefined })
    const m = started(() => 'hang', { targets: [sampleTarget('vllm'), box] })
    await vi.advanceTimersByTimeAsync(5000)
    expect(Math.max(...m.scripted.of('box', 'tcp').map((c) => c.inFlight))).toBe(1)
    expect(m.scripted.of('box', 'tcp')).toHaveLength(1)
    // The hanging probes never answer, so the fake classifier never turns fast: one http.
    expect(m.scripted.of('vllm', 'http')).toHaveLength(1)
  })

  it('leaves health alone while a down target refuses its port, and asks again once the port opens', async () => {
    let refusing = true
    const m = started(() => (refusing ? { ok: false, kind: 'refused' } : { ok: true }))
    await vi.advanceTimersByTimeAsync(3000)
    expect(m.classifiers.get('vllm')!.state).toBe('down')
    const before = m.scripted.of('vllm', 'http').length
    await vi.advanceTimersByTimeAsync(3000)
    expect(m.scripted.of('vllm', 'http')).toHaveLength(before)
    expect(m.scripted.of('vllm', 'tcp').length).toBeGreaterThan(8)
    refusing = false
    await vi.advanceTimersByTimeAsync(1000)
    expect(m.scripted.of('vllm', 'http').length).toBeGreaterThan(before)
  })

  it('connects bare TCP to a target with a health route only while it is bursting', async () => {
    let refusing = false
    const m = started((_t, layer) =>
      layer === 'http' && refusing ? { ok: false, kind: 'refused' } : { ok: true },
    )
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.of('vllm', 'tcp')).toEqual([])
    refusing = true
    await vi.advanceTimersByTimeAsync(2000)
    expect(m.scripted.of('vllm', 'tcp').length).toBeGreaterThan(0)
  })

  it('stops connecting in a burst once the port answered while health fails as an app does, and starts again when health is refused', async () => {
    let health: ProbeAnswer = { ok: true }
    let port: ProbeAnswer = { ok: true }
    const m = started((_t, layer) => (layer === 'http' ? health : port), {
      targets: [sampleTarget('vllm', { functional: undefined })],
    })
    await vi.advanceTimersByTimeAsync(2000)
    health = { ok: false, kind: 'timeout' }
    const failing = Date.now()
    await vi.advanceTimersByTimeAsync(3000)
    const tcpWhileHung = m.scripted.of('vllm', 'tcp').filter((c) => c.at >= failing)
    const httpWhileHung = m.scripted.of('vllm', 'http').filter((c) => c.at >= failing)
    // One connect said the port is open; the health burst goes on alone.
    expect(tcpWhileHung).toHaveLength(1)
    expect(httpWhileHung.length).toBeGreaterThan(8)
    health = { ok: false, kind: 'refused' }
    port = { ok: false, kind: 'refused' }
    const refused = Date.now()
    await vi.advanceTimersByTimeAsync(2000)
    expect(m.scripted.of('vllm', 'tcp').filter((c) => c.at >= refused).length).toBeGreaterThan(2)
  })

  it('sends a second health check beside one that is overdue, and no third', async () => {
    const m = started((_t, layer) => (layer === 'http' ? 'hang' : { ok: true }), { httpOverdueMs: 500 })
    await vi.advanceTimersByTimeAsync(1000)
    const [first, second] = m.scripted.of('vllm', 'http')
    expect(second!.at - first!.at).toBe(500)
    expect(second!.inFlight).toBe(2)
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.of('vllm', 'http')).toHaveLength(2)
  })

  it('lets two health checks overlap once the target is bursting', async () => {
    // Every check hangs (a port that accepts and never answers, so it is not refusing: health goes on).
    const m = started(() => 'hang')
    // Real traffic failing is what turns it fast here: the bare TCP check waits for a burst.
    m.engine.intake({
      target: 'vllm',
      layer: 'passive',
      at: Date.now(),
      ok: false,
      kind: 'refused',
      latencyMs: 1,
      source: 'gateway',
    })
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.of('vllm', 'http').map((c) => c.inFlight)).toEqual([1, 2])
  })

  it('never probes a disabled target, and lists it as unknown', async () => {
    const targets = [sampleTarget('vllm'), sampleTarget('kokoro', { disabled: true })]
    const m = started(() => ({ ok: true }), { targets })
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.calls.filter((c) => c.target === 'kokoro')).toEqual([])
    expect(m.engine.views(Date.now()).find((v) => v.id === 'kokoro')).toMatchObject({ state: 'unknown' })
  })

  it('probes nothing with probing off, and still classifies what traffic reports', async () => {
    const m = started(() => ({ ok: true }), { probing: false })
    await vi.advanceTimersByTimeAsync(5000)
    expect(m.scripted.calls).toEqual([])
    const at = Date.now()
    const failed = {
      layer: 'passive' as const,
      ok: false,
      kind: 'refused' as const,
      latencyMs: 1,
      source: 'gateway',
    }
    expect(m.engine.intake({ target: 'vllm', at, ...failed })).toBe(true)
    expect(m.engine.intake({ target: 'vllm', at: at + 100, ...failed })).toBe(true)
    expect(m.engine.intake({ target: 'nope', at, ...failed })).toBe(false)
    expect(m.history.changes.map((c) => c.to)).toEqual(['down'])
    expect(m.engine.views(Date.now())[0]!.passive).toMatchObject({ ok: 0, failed: 2 })
  })

  it('stops every loop and waits for the probes in flight, aborting them', async () => {
    const m = started(() => 'hang')
    await vi.advanceTimersByTimeAsync(2000)
    expect(m.scripted.inFlightNow()).toBeGreaterThan(0)
    await m.engine.stop()
    expect(m.scripted.inFlightNow()).toBe(0)
    expect(m.scripted.aborted).toBeGreaterThan(0)
    expect(vi.getTimerCount()).toBe(0)
    const calls = m.scripted.calls.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(m.scripted.calls).toHaveLength(calls)
  })
})

describe('monitor engine: a suspected hang', () => {
  const suspicion = { hangSuspicion: { floorMs: 300, factor: 4, timeoutMs: 1500 } }

  it('sends a fresh check when health is overdue, and calls two unanswered checks down in three times the wait', async () => {
    let hung = false
    const m = started((_t, layer) => (hung && layer !== 'tcp' ? 'hang' : { ok: true }), suspicion)
    // Ten steady answers of 1 ms: the usual latency is known.
    await vi.advanceTimersByTimeAsync(10_500)
    hung = true
    const from = Date.now()
    await vi.advanceTimersByTimeAsync(2000)
    const http = m.scripted.of('vllm', 'http').filter((c) => c.at > from)
    const [steady, fresh] = http
    expect(steady!.options).toBeUndefined()
    expect(fresh).toMatchObject({ at: steady!.at + 300, options: { fresh: true, timeoutMs: 600 } })
    // The functional check goes at the suspicion: its answer would tell busy from hung.
    expect(m.scripted.of('vllm', 'functional').filter((c) => c.at > from)[0]?.at).toBe(steady!.at + 300)
    const down = m.history.changes.find((c) => c.to === 'down')!
    expect(down.decidedAt - steady!.at).toBe(900)
    expect(down.evidence.map((e) => [e.at, e.kind])).toEqual([
      [steady!.at, 'timeout'],
      [fresh!.at, 'timeout'],
    ])
    expect(down.evidence[0]!.detail).toMatch(/^no answer within 900 ms \(it usually answers within 1 ms\)/)
  })

  it('suspects nothing before it knows the usual latency: the overdue check gets a second one with the usual timeout', async () => {
    const m = started((_t, layer) => (layer === 'http' ? 'hang' : { ok: true }), {
      ...suspicion,
      httpOverdueMs: 500,
    })
    await vi.advanceTimersByTimeAsync(2000)
    const [first, second] = m.scripted.of('vllm', 'http')
    expect(second).toMatchObject({ at: first!.at + 500 })
    expect(second!.options).toEqual({})
    expect(m.history.changes.map((c) => c.to)).not.toContain('down')
  })

  it('does not count the overdue check failed when the fresh one answers', async () => {
    let stuck = false
    // The kept connection's checks stop answering; a fresh connection answers at once.
    const m = started(
      (_t, layer, options) => (stuck && layer === 'http' && !options?.fresh ? 'hang' : { ok: true }),
      suspicion,
    )
    await vi.advanceTimersByTimeAsync(10_500)
    stuck = true
    const from = Date.now()
    await vi.advanceTimersByTimeAsync(3000)
    const fresh = m.scripted.of('vllm', 'http').filter((c) => c.at > from && c.options?.fresh)
    expect(fresh.length).toBeGreaterThanOrEqual(1)
    expect(m.history.changes.map((c) => c.to)).toEqual(['up'])
  })
})

describe('monitor engine: the tick', () => {
  it('writes a history heartbeat every 5 s, prunes, and ticks the alerter', async () => {
    const m = started(() => ({ ok: true }), { pruneMs: 3000 })
    await vi.advanceTimersByTimeAsync(10_100)
    // Ticks every 250 ms from 250: heartbeats at 250 and 5250, prunes at 250, 3250, 6250, 9250.
    expect(m.history.heartbeats).toBe(2)
    expect(m.history.prunes).toBe(4)
    expect(m.alerter.ticks).toBe(40)
  })

  it('tells the classifier when a maintenance window opens and closes', async () => {
    const m = started(() => ({ ok: true }))
    await vi.advanceTimersByTimeAsync(1100)
    const now = Date.now()
    m.maintenance.add(
      { targets: ['vllm'], ends_at: new Date(now + 2000).toISOString(), reason: 'new PSU' },
      now,
    )
    await vi.advanceTimersByTimeAsync(300)
    expect(m.engine.views(Date.now())[0]).toMatchObject({
      state: 'maintenance',
      maintenance: { reason: 'new PSU', until: new Date(now + 2000).toISOString() },
    })
    await vi.advanceTimersByTimeAsync(3000)
    expect(m.history.changes.map((c) => c.to)).toEqual(['up', 'maintenance', 'unknown', 'up'])
  })
})

describe('monitor engine: health events', () => {
  it('finds the target by its earlier subject in any case, logs the report and streams it', async () => {
    const m = started(() => ({ ok: true }), {
      targets: [sampleTarget('spark-1', { kind: 'node', legacySubject: 'spark1' })],
      probing: false,
    })
    const at = Date.now()
    const e = { target: 'SPARK1', layer: 'passive' as const, at, ok: true, latencyMs: 12, source: 'recap' }
    expect(m.engine.report(e)).toBe(true)
    expect(m.connectivityLog.reports).toEqual([{ target: 'spark-1', evidence: { ...e, target: 'spark-1' } }])
    expect(m.events).toContainEqual({
      type: 'report',
      target: 'spark-1',
      at: new Date(at).toISOString(),
      ok: true,
      source: 'recap',
    })
    expect(m.engine.names()).toEqual(['spark-1', 'spark1'])
  })
})
