import { describe, expect, it } from 'vitest'
import { belongsToHostOutage, HOST_GROUP_WINDOW_MS } from './grouping.ts'

describe('host outage grouping', () => {
  const host = { startedAt: 100_000, endedAt: null }

  it('takes outages that start while the node is down', () => {
    expect(belongsToHostOutage({ startedAt: 100_000 }, host)).toBe(true)
    expect(belongsToHostOutage({ startedAt: 160_000 }, host)).toBe(true)
    expect(belongsToHostOutage({ startedAt: 160_000 }, { startedAt: 100_000, endedAt: 150_000 })).toBe(false)
  })

  it('takes outages that began up to the window before the node was seen down, not earlier', () => {
    expect(belongsToHostOutage({ startedAt: 100_000 - HOST_GROUP_WINDOW_MS }, host)).toBe(true)
    expect(belongsToHostOutage({ startedAt: 100_000 - HOST_GROUP_WINDOW_MS - 1 }, host)).toBe(false)
  })
})
