import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { createToolSlots } from './tool-slots.ts'

const gone = () => new AppError(499, 'client_closed', 'gone')
const never = new AbortController().signal

describe('tool slots', () => {
  it('runs at most `max` at once and hands a freed slot to the next in line', async () => {
    const slots = createToolSlots(2, 10)
    const a = await slots.acquire(never, gone)
    const b = await slots.acquire(never, gone)
    let third = false
    const c = slots.acquire(never, gone).then((release) => {
      third = true
      return release
    })
    await Promise.resolve()
    expect(third).toBe(false)
    expect(slots.load()).toEqual({ running: 2, waiting: 1 })
    a()
    a() // a second release of the same slot changes nothing
    const releaseC = await c
    expect(slots.load()).toEqual({ running: 2, waiting: 0 })
    b()
    releaseC()
    expect(slots.load()).toEqual({ running: 0, waiting: 0 })
  })

  it('a waiting caller that goes away leaves the queue at once', async () => {
    const slots = createToolSlots(1, 10)
    const held = await slots.acquire(never, gone)
    const leaving = new AbortController()
    const waiting = slots.acquire(leaving.signal, gone)
    leaving.abort()
    await expect(waiting).rejects.toMatchObject({ status: 499 })
    expect(slots.load()).toEqual({ running: 1, waiting: 0 })
    held()
    expect(slots.load()).toEqual({ running: 0, waiting: 0 })
  })

  it('refuses past its bound with 503 and Retry-After', async () => {
    const slots = createToolSlots(1, 1)
    await slots.acquire(never, gone)
    void slots.acquire(never, gone)
    await expect(slots.acquire(never, gone)).rejects.toMatchObject({
      status: 503,
      code: 'audio_busy',
      retryAfterS: 5,
    })
  })
})
