import { describe, expect, it } from 'vitest'
import { createInflight } from './inflight.ts'

describe('in-flight generations', () => {
  it('drains at once when none runs, and when the last one ends', async () => {
    const inflight = createInflight()
    expect(await inflight.drain(1000)).toEqual({ drained: true, left: 0 })
    const a = inflight.acquire()
    const b = inflight.acquire()
    const drained = inflight.drain(5000)
    a()
    a()
    expect(inflight.count).toBe(1)
    b()
    expect(await drained).toEqual({ drained: true, left: 0 })
  })

  it('gives up after the timeout or on abort, saying how many are left', async () => {
    const inflight = createInflight()
    inflight.acquire()
    const t0 = Date.now()
    expect(await inflight.drain(50)).toEqual({ drained: false, left: 1 })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45)
    const ac = new AbortController()
    const pending = inflight.drain(10_000, ac.signal)
    ac.abort()
    expect(await pending).toEqual({ drained: false, left: 1 })
    expect(await inflight.drain(10_000, AbortSignal.abort())).toEqual({ drained: false, left: 1 })
  })
})
