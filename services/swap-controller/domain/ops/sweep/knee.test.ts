import { describe, expect, it } from 'vitest'
import type { SweepCell } from '../../../../../shared/contracts/swap-controller.ts'
import { findKnee, recommend } from './knee.ts'

/** A cell of a closed loop against `capacity` slots of `serviceMs` each (Little's law). */
function cell(concurrency: number, capacity: number, serviceMs: number, errorRate = 0): SweepCell {
  const served = Math.min(concurrency, capacity)
  const latency = serviceMs * Math.max(1, concurrency / capacity)
  return {
    concurrency,
    requests: 100,
    errors: Math.round(errorRate * 100),
    error_rate: errorRate,
    throughput_rps: (served * 1000) / serviceMs,
    p50_ms: latency,
    p95_ms: latency * 1.05,
    p99_ms: latency * 1.1,
    health_p50_ms: 2,
    health_p95_ms: 3,
    health_max_ms: 4,
  }
}

const curve = (capacity: number, levels = [1, 2, 3, 4, 6, 8]) => levels.map((c) => cell(c, capacity, 400))

describe('findKnee', () => {
  it('is 1 for a serialised backend: throughput flat, latency proportional to concurrency', () => {
    expect(findKnee(curve(1)).knee).toBe(1)
  })

  it('is 3 for a backend that scales to 3', () => {
    const found = findKnee(curve(3))
    expect(found.knee).toBe(3)
    expect(found.why).toMatch(/grew only 0 % at 4/)
  })

  it('is the last clean level when errors appear at 4', () => {
    const cells = [cell(1, 8, 400), cell(2, 8, 400), cell(3, 8, 400), cell(4, 8, 400, 0.2)]
    const found = findKnee(cells)
    expect(found.knee).toBe(3)
    expect(found.why).toMatch(/Errors appeared at 4/)
  })

  it('tolerates noise below 10 % growth only when latency also grows', () => {
    // Throughput +8 % and p95 unchanged is not queueing: keep looking.
    const a = { ...cell(2, 8, 400), throughput_rps: 5, p95_ms: 400 }
    const b = { ...cell(3, 8, 400), throughput_rps: 5.4, p95_ms: 400 }
    const c = { ...cell(4, 8, 400), throughput_rps: 5.5, p95_ms: 700 }
    expect(findKnee([cell(1, 8, 400), a, b, c]).knee).toBe(3)
  })

  it('has none while throughput still grows at the highest level, or when one at a time fails', () => {
    expect(findKnee(curve(16)).knee).toBeNull()
    expect(findKnee(curve(16)).open).toBe(true)
    expect(findKnee([cell(1, 1, 400, 1)]).knee).toBeNull()
    expect(findKnee([]).knee).toBeNull()
  })
})

describe('recommend', () => {
  it('recommends the knee as the lane limit, naming the setting per target', () => {
    expect(recommend('asr', curve(1), null)).toMatchObject({
      knee: 1,
      recommended_limit: 1,
      setting: 'SPEECH_LANE_ASR',
    })
    const tts = recommend('tts', curve(3), null)
    expect(tts).toMatchObject({ knee: 3, recommended_limit: 3, setting: 'SPEECH_LANE_TTS' })
    expect(tts.reason).toMatch(/Set SPEECH_LANE_TTS=3 for the speech-proxy/)
    expect(recommend('embeddings', curve(2), null)).toMatchObject({
      recommended_limit: 2,
      setting: 'EMBED_CONCURRENCY',
    })
  })

  it('says why a sweep stopped early, and recommends the highest clean level when no knee was reached', () => {
    const open = recommend('asr', curve(16), null)
    expect(open).toMatchObject({ knee: null, recommended_limit: 8 })
    expect(open.reason).toMatch(/sweep higher levels/)
    const failed = recommend('asr', [cell(1, 1, 400, 1)], '100 % of requests failed at concurrency 1')
    expect(failed).toMatchObject({ knee: null, recommended_limit: null })
    expect(failed.reason).toMatch(/stopped early: 100 % of requests failed/)
  })
})
