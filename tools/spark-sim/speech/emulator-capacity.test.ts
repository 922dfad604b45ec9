import { afterEach, describe, expect, it } from 'vitest'
import { startBgeM3 } from '../embeddings/bge-m3.ts'
import { DEFAULT_CAPACITY, resolveCapacity } from './emulator-capacity.ts'
import type { EmulatorHandle, EmulatorOptions } from './emulator-server.ts'

const started: EmulatorHandle[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()))
})

async function bge(options: EmulatorOptions = {}) {
  const s = await startBgeM3({ host: '127.0.0.1', port: 0, ...options })
  started.push(s)
  return s
}

/** Sends `n` embeddings requests at once; each one's completion time from the start, sorted. */
async function burst(s: EmulatorHandle, n: number): Promise<number[]> {
  const t0 = performance.now()
  const done = await Promise.all(
    Array.from({ length: n }, async () => {
      const res = await fetch(`${s.url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: ['one text', 'another'] }),
      })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
      return performance.now() - t0
    }),
  )
  return done.sort((a, b) => a - b)
}

describe('emulator capacity model', () => {
  it('serialises at capacity 1: each request waits for the one before', async () => {
    const s = await bge({ capacity: 1, serviceMs: 200 })
    const times = await burst(s, 3)
    expect(times[0]).toBeGreaterThanOrEqual(190)
    expect(times[1]).toBeGreaterThanOrEqual(390)
    expect(times[2]).toBeGreaterThanOrEqual(590)
  })

  it('runs `capacity` at once, then queues; setCapacity changes it live', async () => {
    const s = await bge({ capacity: 3, serviceMs: 250 })
    const three = await burst(s, 4)
    // Three finish together after one service time, the fourth one service time later.
    expect(three[2]).toBeLessThan(450)
    expect(three[3]).toBeGreaterThanOrEqual(490)
    s.setCapacity(1, 150)
    const one = await burst(s, 2)
    expect(one[1]).toBeGreaterThanOrEqual(290)
  })

  it('answers a refused request at once, without the service time', async () => {
    const s = await bge({ capacity: 1, serviceMs: 2000 })
    const t0 = performance.now()
    const res = await fetch(`${s.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: [] }),
    })
    expect(res.status).toBe(400)
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  it('answers /health later for every request running or waiting, when configured', async () => {
    const s = await bge({ capacity: 1, serviceMs: 1500, healthMsPerRequest: 300 })
    const work = burst(s, 2)
    await expect.poll(() => s.requestCount('/v1/embeddings')).toBe(2)
    const t0 = performance.now()
    expect((await fetch(`${s.url}/health`)).status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(590)
    await work
    const t1 = performance.now()
    await fetch(`${s.url}/health`)
    expect(performance.now() - t1).toBeLessThan(300)
  })

  it('reads SPARK_SIM_<NAME>_* when no option is given; options win; defaults are the old behaviour', () => {
    const env = {
      SPARK_SIM_BGE_M3_CAPACITY: '2',
      SPARK_SIM_BGE_M3_SERVICE_MS: '120',
      SPARK_SIM_BGE_M3_HEALTH_MS_PER_REQUEST: '40',
    }
    expect(resolveCapacity('bge-m3', {}, env)).toEqual({
      capacity: 2,
      serviceMs: 120,
      healthMsPerRequest: 40,
    })
    expect(resolveCapacity('bge-m3', { capacity: 5 }, env).capacity).toBe(5)
    expect(resolveCapacity('parakeet', {}, env)).toEqual({
      capacity: DEFAULT_CAPACITY,
      serviceMs: 0,
      healthMsPerRequest: 0,
    })
    expect(() => resolveCapacity('kokoro', {}, { SPARK_SIM_KOKORO_CAPACITY: '0' })).toThrow(/capacity/)
    expect(() => resolveCapacity('kokoro', {}, { SPARK_SIM_KOKORO_SERVICE_MS: 'x' })).toThrow(/SERVICE_MS/)
  })
})
