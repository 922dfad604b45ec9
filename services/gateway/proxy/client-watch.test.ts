import { describe, expect, it, vi } from 'vitest'
import { createClientWatch } from './client-watch.ts'

describe('client watch', () => {
  it('starts watching only the requests still waiting at the sweep, once', () => {
    vi.useFakeTimers()
    try {
      const watch = createClientWatch(250)
      const watched: string[] = []
      const item = (name: string) => ({ watch: () => watched.push(name) })
      const fast = item('fast')
      const slow = item('slow')
      watch.add(fast)
      watch.add(slow)
      watch.remove(fast)
      vi.advanceTimersByTime(249)
      expect(watched).toEqual([])
      vi.advanceTimersByTime(1)
      expect(watched).toEqual(['slow'])
      vi.advanceTimersByTime(1000)
      expect(watched).toEqual(['slow'])
      // A later request arms a new sweep.
      watch.add(item('later'))
      vi.advanceTimersByTime(250)
      expect(watched).toEqual(['slow', 'later'])
      watch.add(item('never'))
      watch.close()
      vi.advanceTimersByTime(1000)
      expect(watched).toEqual(['slow', 'later'])
    } finally {
      vi.useRealTimers()
    }
  })
})
