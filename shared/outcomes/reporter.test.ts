/**
 * The reporting client against a fake monitor on loopback: batching, a bounded buffer, drops while
 * the monitor refuses or fails (and the count it is told afterwards), and traffic that never waits
 * for a monitor that hangs.
 */
import { Agent, request } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { createMetrics } from '../metrics.ts'
import { reportOutcomes } from './dispatcher.ts'
import { createOutcomeReporter, type OutcomeReporter, type OutcomeReporterOptions } from './reporter.ts'
import { type FakeMonitor, listenRestartable, startFakeMonitor, upstreamRoutes } from './testing/loopback.ts'

let monitor: FakeMonitor
const reporters: OutcomeReporter[] = []

beforeEach(async () => {
  monitor = await startFakeMonitor()
})

afterEach(async () => {
  await Promise.all(reporters.splice(0).map((r) => r.close()))
  await monitor.stop()
})

function reporter(options: Partial<OutcomeReporterOptions> = {}): OutcomeReporter {
  const r = createOutcomeReporter({
    url: monitor.url,
    source: 'speech-proxy',
    flushMs: 20,
    backoff: { baseMs: 40, maxMs: 80 },
    ...options,
  })
  reporters.push(r)
  return r
}

const outcome = (i: number): RequestOutcome => ({
  target: 'kokoro',
  at: 1_700_000_000_000 + i,
  ok: true,
  latency_ms: 1,
})

describe('createOutcomeReporter', () => {
  it('sends what it records in batches no larger than maxBatch, in order', async () => {
    const r = reporter({ maxBatch: 100, maxBuffered: 1000 })
    for (let i = 0; i < 250; i++) r.record(outcome(i))
    await expect.poll(() => monitor.outcomes().length).toBe(250)
    expect(monitor.batches.map((b) => b.outcomes.length)).toEqual([100, 100, 50])
    expect(monitor.outcomes().map((o) => o.at - 1_700_000_000_000)).toEqual([...Array(250).keys()])
    expect(monitor.batches.every((b) => b.source === 'speech-proxy' && b.dropped === undefined)).toBe(true)
    expect(r.stats()).toMatchObject({ buffered: 0, sent: 250, dropped: 0 })
  })

  it('keeps only the newest outcomes when its buffer is full, and says how many it lost', async () => {
    monitor.mode = 'hang'
    const r = reporter({ maxBuffered: 10, timeoutMs: 200 })
    r.record(outcome(-1))
    // The first batch is held by the monitor; meanwhile 25 more arrive for 10 places.
    await expect.poll(() => monitor.hanging).toBe(1)
    for (let i = 0; i < 25; i++) r.record(outcome(i))
    expect(r.stats()).toMatchObject({ buffered: 10, dropped: 15 })
    monitor.mode = 'accept'
    await expect.poll(() => monitor.outcomes().length).toBe(10)
    expect(monitor.outcomes().map((o) => o.at - 1_700_000_000_000)).toEqual([
      15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ])
    // 15 pushed out of the buffer and the batch of 1 the monitor never answered.
    expect(monitor.batches[0]?.dropped).toBe(16)
  })

  it('drops batches while the monitor refuses, backs off, and reports the loss once it is back', async () => {
    const metrics = createMetrics('speech-proxy')
    const r = reporter({ registry: metrics.registry })
    await monitor.stop()
    r.record(outcome(0))
    await expect.poll(() => r.stats().failedBatches).toBe(1)
    r.record(outcome(1))
    r.record(outcome(2))
    await expect.poll(() => r.stats().failedBatches).toBe(2)
    expect(r.stats().dropped).toBe(3)
    await monitor.start()
    r.record(outcome(3))
    await expect.poll(() => monitor.outcomes().length).toBe(1)
    expect(monitor.batches[0]).toMatchObject({ dropped: 3, outcomes: [outcome(3)] })
    // The count is told once: the next batch carries none.
    r.record(outcome(4))
    await expect.poll(() => monitor.batches.length).toBe(2)
    expect(monitor.batches[1]?.dropped).toBeUndefined()
    // The reporter counts a batch once the monitor's answer is back, a moment after the monitor has it.
    await expect.poll(() => r.stats().sent).toBe(2)
    const text = await metrics.registry.metrics()
    expect(text).toMatch(/monitor_outcomes_dropped_total\{service="speech-proxy"\} 3/)
    expect(text).toMatch(/monitor_outcomes_sent_total\{service="speech-proxy"\} 2/)
  })

  it('counts a monitor that answers 5xx as away', async () => {
    monitor.mode = 'fail'
    const r = reporter()
    r.record(outcome(0))
    await expect.poll(() => r.stats().failedBatches).toBe(1)
    monitor.mode = 'accept'
    r.record(outcome(1))
    await expect.poll(() => monitor.batches.length).toBe(1)
    expect(monitor.batches[0]).toMatchObject({ dropped: 1, outcomes: [outcome(1)] })
  })

  it('never holds up the traffic it reports, even when the monitor hangs', async () => {
    monitor.mode = 'hang'
    const upstream = await listenRestartable(upstreamRoutes)
    const agent = new Agent()
    const r = reporter({ timeoutMs: 5000 })
    const reported = reportOutcomes(agent, r, { [upstream.url]: 'kokoro' })
    try {
      const timed = async () => {
        const started = performance.now()
        const res = await request(`${upstream.url}/`, { dispatcher: reported })
        await res.body.text()
        return performance.now() - started
      }
      await timed()
      await expect.poll(() => monitor.hanging).toBe(1)
      // Fifty requests while the monitor holds the first batch: each is done long before its 5 s
      // timeout, and none waited for a second POST (one in flight at most).
      const latencies: number[] = []
      for (let i = 0; i < 50; i++) latencies.push(await timed())
      expect(monitor.hanging).toBe(1)
      expect(Math.max(...latencies)).toBeLessThan(1000)
      expect(r.stats().buffered).toBe(50)
    } finally {
      await agent.destroy()
      await upstream.stop()
    }
  })

  it('sends what is left when closed, and nothing after', async () => {
    const r = reporter({ flushMs: 60_000 })
    r.record(outcome(0))
    r.record(outcome(1))
    await r.close()
    expect(monitor.outcomes()).toEqual([outcome(0), outcome(1)])
    r.record(outcome(2))
    expect(r.stats().buffered).toBe(0)
  })

  it('gives up on the last batch at its deadline when the monitor hangs', async () => {
    monitor.mode = 'hang'
    const r = reporter({ flushMs: 60_000, closeDeadlineMs: 100 })
    r.record(outcome(0))
    const started = performance.now()
    await r.close()
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('does nothing without a URL', () => {
    const r = createOutcomeReporter({ url: undefined, source: 'gateway' })
    expect(r.enabled).toBe(false)
    r.record(outcome(0))
    expect(r.stats()).toEqual({ buffered: 0, sent: 0, dropped: 0, failedBatches: 0 })
  })
})
