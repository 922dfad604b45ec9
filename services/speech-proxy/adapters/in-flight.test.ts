import { describe, expect, it } from 'vitest'
import { createInFlight } from './in-flight.ts'

describe('in-flight counter', () => {
  it('counts running requests and releases them on success and on failure', async () => {
    const inFlight = createInFlight()
    let release!: () => void
    const held = inFlight.track(() => new Promise<string>((resolve) => (release = () => resolve('done'))))
    const failing = inFlight.track(async () => {
      throw new Error('boom')
    })
    expect(inFlight.active()).toBe(2)
    await expect(failing).rejects.toThrow('boom')
    expect(inFlight.active()).toBe(1)
    release()
    await expect(held).resolves.toBe('done')
    expect(inFlight.active()).toBe(0)
  })

  it('remembers a request that ended during the window being asked about', async () => {
    let clock = 100
    const inFlight = createInFlight(() => clock)
    expect(inFlight.ranSince(0)).toBe(false)
    const work = inFlight.track(async () => {
      clock = 150
    })
    expect(inFlight.ranSince(120)).toBe(true)
    await work
    expect(inFlight.ranSince(120)).toBe(true)
    expect(inFlight.ranSince(151)).toBe(false)
  })
})
