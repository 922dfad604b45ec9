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
  const back2back = (offset: number, each: number, n: number): RequestRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      start: offset + i * each,
      end: offset + (i + 1) * each,
      ok: true,
      status: 200,
    }))

  it('counts each request by the share of it inside the window, so edges do not matter', () => {
    // One worker, 300 ms per request, window 1000 ms starting mid-request: exactly 1000/300 requests.
    const records = back2back(-150, 300, 6)
    expect(throughput(records, { from: 0, to: 1000 })).toBeCloseTo(1000 / 300, 5)
    // Shifted by any phase, still the same.
    expect(throughput(back2back(-10, 300, 6), { from: 0, to: 1000 })).toBeCloseTo(1000 / 300, 5)
  })

  it('leaves failed requests out', () => {
    const records: RequestRecord[] = [
      { start: 0, end: 500, ok: true, status: 200 },
      { start: 500, end: 1000, ok: false, status: 503 },
    ]
    expect(throughput(records, { from: 0, to: 1000 })).toBeCloseTo(1, 5)
  })
})

describe('cellOf', () => {
  it('measures requests that started in the window, latency of the successful ones, health samples', () => {
    const records: RequestRecord[] = [
      { start: -100, end: 100, ok: true, status: 200 },
      { start: 100, end: 300, ok: true, status: 200 },
      { start: 300, end: 700, ok: false, status: 500, error: 'HTTP 500' },
      { start: 700, end: 1100, ok: true, status: 200 },
    ]
    const cell = cellOf(2, records, [5, 9, 40], { from: 0, to: 1000 })
    expect(cell).toMatchObject({
      concurrency: 2,
      requests: 3,
      errors: 1,
      error_rate: 0.3333,
      p50_ms: 200,
      p95_ms: 400,
      health_p50_ms: 9,
      health_max_ms: 40,
    })
    // 0.5 + 1 + 0.75 of successful requests inside one second.
    expect(cell.throughput_rps).toBeCloseTo(2.25, 3)
    expect(commonError(records)).toBe('HTTP 500 ×1')
  })

  it('has null latencies for a level where nothing succeeded', () => {
    const cell = cellOf(1, [], [], { from: 0, to: 1000 })
    expect(cell).toMatchObject({ requests: 0, error_rate: 0, p50_ms: null, health_max_ms: null })
  })
})
