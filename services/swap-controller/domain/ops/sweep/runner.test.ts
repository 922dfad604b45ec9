import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { systemClock } from './clock.ts'
import { recommend } from './knee.ts'
import { type RunOptions, runSweep } from './runner.ts'
import { fakeBackend } from './testing.ts'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Runs a sweep to its end on fake time. */
async function run(options: Omit<RunOptions, 'clock'>) {
  const outcome = runSweep({ clock: systemClock, ...options })
  let settled = false
  void outcome.finally(() => {
    settled = true
  })
  while (!settled) await vi.advanceTimersByTimeAsync(1000)
  return outcome
}

const plan = { levels: [1, 2, 3, 4, 6, 8], warmupMs: 2000, cellMs: 10_000 }

describe('runSweep', () => {
  it('finds knee 1 against a serialised backend: flat throughput, latency growing with concurrency', async () => {
    const backend = fakeBackend({ capacity: 1, serviceMs: 400, clock: systemClock })
    const { cells, stoppedEarly } = await run({ ...plan, backend })
    expect(stoppedEarly).toBeNull()
    expect(cells.map((c) => c.concurrency)).toEqual([1, 2, 3, 4, 6, 8])
    for (const c of cells) expect(c.throughput_rps).toBeCloseTo(2.5, 1)
    expect(cells[0]!.p95_ms).toBe(400)
    expect(cells[3]!.p95_ms).toBe(1600)
    expect(recommend('asr', cells, null)).toMatchObject({ knee: 1, recommended_limit: 1 })
  })

  it('finds knee 3 against a backend that scales to 3', async () => {
    const backend = fakeBackend({ capacity: 3, serviceMs: 300, clock: systemClock })
    const { cells } = await run({ ...plan, backend })
    expect(cells.map((c) => Math.round(c.throughput_rps))).toEqual([3, 7, 10, 10, 10, 10])
    expect(recommend('embeddings', cells, null)).toMatchObject({ knee: 3, setting: 'EMBED_CONCURRENCY' })
  })

  it('stops early when the error rate passes the limit, and the knee is the last clean level', async () => {
    const backend = fakeBackend({ capacity: 8, serviceMs: 300, failAbove: 3, clock: systemClock })
    const { cells, stoppedEarly } = await run({ ...plan, backend })
    expect(cells.map((c) => c.concurrency)).toEqual([1, 2, 3, 4])
    expect(cells[3]!.errors).toBeGreaterThan(0)
    expect(stoppedEarly).toMatch(/of requests failed at concurrency 4 .*HTTP 503/)
    expect(recommend('tts', cells, stoppedEarly)).toMatchObject({ knee: 3, recommended_limit: 3 })
  })

  it('stops early when p95 passes the ceiling', async () => {
    const backend = fakeBackend({ capacity: 1, serviceMs: 400, clock: systemClock })
    const { cells, stoppedEarly } = await run({ ...plan, backend, limits: { p95CeilingMs: 1000 } })
    expect(cells.map((c) => c.concurrency)).toEqual([1, 2, 3])
    expect(stoppedEarly).toMatch(/p95 latency 1200 ms at concurrency 3 is above the 1000 ms ceiling/)
  })

  it('times /health in parallel every ~250 ms and sees it late under load', async () => {
    const backend = fakeBackend({ capacity: 1, serviceMs: 400, healthMsPerRequest: 50, clock: systemClock })
    const { cells } = await run({ ...plan, levels: [1, 4], backend })
    expect(cells[0]!.health_p50_ms).toBe(50)
    expect(cells[1]!.health_p50_ms).toBe(200)
  })

  it('keeps to its time budget and stops at once when cancelled', async () => {
    const backend = fakeBackend({ capacity: 1, serviceMs: 400, clock: systemClock })
    const budgeted = await run({ ...plan, backend, limits: { maxTotalMs: 30_000 } })
    expect(budgeted.cells).toHaveLength(2)
    expect(budgeted.stoppedEarly).toMatch(/time budget ran out before concurrency 3/)

    const abort = new AbortController()
    const outcome = runSweep({ ...plan, backend, clock: systemClock, signal: abort.signal })
    await vi.advanceTimersByTimeAsync(15_000)
    abort.abort()
    await vi.advanceTimersByTimeAsync(1000)
    const cancelled = await outcome
    expect(cancelled.cancelled).toBe(true)
    expect(cancelled.cells).toHaveLength(1)
  })
})
