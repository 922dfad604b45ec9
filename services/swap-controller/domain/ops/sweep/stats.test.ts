import { describe, expect, it } from 'vitest'
import { cellOf, commonError, percentile, type RequestRecord, throughput } from './stats.ts'

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(values, 0.5)).toBe(50)
    expect(percentile(values, 0.95)).toBe(95)
    expect(percentile(values, 0.99)).toBe(99)
    expect(percentile([7], 0.99)).toBe(7)
    expect(percentile([3, 1, 2], 0.5)).toBe(2)
    expect(percentile([], 0.5)).toBeNull()
  })
})

describe('throughput', () => {
  it("is concurrency over the mean latency (Little's law), successful requests only", () => {
    const each = (ms: number, ok = true): RequestRecord => ({ start: 0, end: ms, ok, status: ok ? 200 : 503 })
    // Two workers, 800 ms each: 2.5 answers a second, wherever a window's edges fall.
    expect(throughput([each(800), each(800), each(800)], 2)).toBeCloseTo(2.5, 5)
    // One of four failed: three quarters of the rate.
    expect(throughput([each(500), each(500), each(500), each(500, false)], 1)).toBeCloseTo(1.5, 5)
    expect(throughput([], 4)).toBe(0)
  })
})

describe('cellOf', () => {
  it('measures requests that started in the window, latency of the successful ones, health samples', () => {
    const records: RequestRecord[] = [
      { start: -400, end: 100, ok: true, status: 200 },
      { start: 100, end: 300, ok: true, status: 200 },
      { start: 300, end: 700, ok: false, status: 500, error: 'HTTP 500' },
      { start: 700, end: 1100, ok: true, status: 200 },
      { start: 1100, end: 1200, ok: false, status: 503 },
    ]
    const cell = cellOf(1, records, [5, 9, 40], { from: 0, to: 1000 })
    expect(cell).toMatchObject({
      concurrency: 1,
      requests: 3,
      errors: 1,
      error_rate: 0.3333,
      p50_ms: 200,
      p95_ms: 400,
      health_p50_ms: 9,
      health_max_ms: 40,
    })
    // Two successes in one worker's 1000 ms of requests.
    expect(cell.throughput_rps).toBeCloseTo(2, 3)
    expect(commonError(records)).toBe('HTTP 500 ×1')
  })

  it('falls back to the requests overlapping the window when they are longer than it', () => {
    const records: RequestRecord[] = [
      { start: -500, end: 1500, ok: true, status: 200 },
      { start: 1500, end: 3500, ok: true, status: 200 },
    ]
    expect(cellOf(1, records, [], { from: 0, to: 1000 })).toMatchObject({
      requests: 1,
      p50_ms: 2000,
      throughput_rps: 0.5,
    })
  })

  it('has null latencies for a level where nothing succeeded', () => {
    const cell = cellOf(1, [], [], { from: 0, to: 1000 })
    expect(cell).toMatchObject({ requests: 0, error_rate: 0, p50_ms: null, health_max_ms: null })
  })
})
