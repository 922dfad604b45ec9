import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { sleep } from './abort.ts'

describe('sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const settled = (p: Promise<unknown>) => {
    const state = { done: false, error: undefined as unknown }
    p.then(
      () => {
        state.done = true
      },
      (e: unknown) => {
        state.error = e
      },
    )
    return state
  }

  it('resolves after the delay, not before; a negative delay is none', async () => {
    const wait = settled(sleep(100))
    await vi.advanceTimersByTimeAsync(99)
    expect(wait.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(wait.done).toBe(true)
    const none = settled(sleep(-5))
    await vi.advanceTimersByTimeAsync(0)
    expect(none.done).toBe(true)
  })

  it("rejects at once when the signal aborts, with the signal's reason, and clears its timer", async () => {
    const ac = new AbortController()
    const wait = settled(sleep(10_000, { signal: ac.signal }))
    expect(vi.getTimerCount()).toBe(1)
    const why = new Error('cancelled')
    ac.abort(why)
    await vi.advanceTimersByTimeAsync(0)
    expect(wait.error).toBe(why)
    expect(vi.getTimerCount()).toBe(0)
  })

  it("rejects with the caller's reason, also when the signal had already aborted", async () => {
    const ac = new AbortController()
    ac.abort()
    const reason = () => new Error('swap cancelled')
    await expect(sleep(10, { signal: ac.signal, reason })).rejects.toThrow('swap cancelled')
    expect(vi.getTimerCount()).toBe(0)
  })
})
