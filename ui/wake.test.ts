import { describe, expect, it, vi } from 'vitest'
import { pause, Wake } from './wake.ts'

describe('pause', () => {
  it('ends on notify, on abort, or after its time, and leaves no timer behind', async () => {
    vi.useFakeTimers()
    try {
      const wake = new Wake()
      const stop = new AbortController()
      let woken = false
      const waiting = pause(60_000, stop.signal, wake).then(() => {
        woken = true
      })
      await vi.advanceTimersByTimeAsync(1000)
      expect(woken).toBe(false)
      wake.notify()
      await waiting
      expect(vi.getTimerCount()).toBe(0)
      const aborted = pause(60_000, stop.signal, wake)
      stop.abort()
      await aborted
      expect(vi.getTimerCount()).toBe(0)
      const timed = pause(500, new AbortController().signal)
      await vi.advanceTimersByTimeAsync(500)
      await timed
    } finally {
      vi.useRealTimers()
    }
  })

  it('does not sleep through a notification that came while its feed was reading', async () => {
    const wake = new Wake()
    const seen = wake.generation
    wake.notify()
    const started = Date.now()
    await pause(60_000, new AbortController().signal, wake, seen)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
