import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSlotTimer } from './slot-timer.ts'

const T0 = Date.parse('2026-01-05T10:00:00Z')
const since = () => Date.now() - T0

// The grid is in performance.now() time, which starts at 0 under fake timers, as Date starts at T0.
beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('slot timer', () => {
  it('runs everything due nearest one slot together, at the slot, on one timer', () => {
    const slots = createSlotTimer(50)
    const ran: Array<[string, number]> = []
    for (const [name, due] of [
      ['a', 10],
      ['b', 30],
      ['c', 74],
      ['d', 76],
    ] as const)
      slots.after(due, () => ran.push([name, since()]))
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(49)
    expect(ran).toEqual([])
    vi.advanceTimersByTime(1)
    expect(ran).toEqual([
      ['a', 50],
      ['b', 50],
      ['c', 50],
    ])
    vi.advanceTimersByTime(50)
    expect(ran.at(-1)).toEqual(['d', 100])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps an interval that is a multiple of the slot, and moves a due time by at most half a slot', () => {
    const slots = createSlotTimer(125)
    const burst: number[] = []
    const every = () => {
      burst.push(since())
      if (burst.length < 4) slots.after(250, every)
    }
    slots.after(250, every)
    const moved: number[] = []
    for (const due of [180, 260, 340]) slots.after(due, () => moved.push(since()))
    vi.advanceTimersByTime(1100)
    expect(burst).toEqual([250, 500, 750, 1000])
    expect(moved).toEqual([125, 250, 375])
  })

  it('runs at the exact time with a 1 ms grid', () => {
    const slots = createSlotTimer(1)
    const ran: number[] = []
    slots.after(37, () => ran.push(since()))
    slots.after(12, () => ran.push(since()))
    vi.advanceTimersByTime(100)
    expect(ran).toEqual([12, 37])
  })

  it('skips a cancelled task, also one cancelled by another task of its slot', () => {
    const slots = createSlotTimer(50)
    const ran: string[] = []
    const tasks: { later?: ReturnType<typeof slots.after> } = {}
    slots.after(20, () => {
      ran.push('first')
      if (tasks.later) slots.cancel(tasks.later)
    })
    tasks.later = slots.after(40, () => ran.push('later'))
    const gone = slots.after(10, () => ran.push('gone'))
    slots.cancel(gone)
    vi.advanceTimersByTime(200)
    expect(ran).toEqual(['first'])
  })

  it('re-arms for an earlier slot, and for nothing once the only task is cancelled', () => {
    const slots = createSlotTimer(50)
    const ran: number[] = []
    const far = slots.after(1000, () => ran.push(since()))
    slots.after(100, () => ran.push(since()))
    vi.advanceTimersByTime(100)
    expect(ran).toEqual([100])
    slots.cancel(far)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('runs tasks marked first ahead of the others in their slot', () => {
    const slots = createSlotTimer(50)
    const ran: string[] = []
    slots.after(10, () => ran.push('burst 1'))
    slots.after(20, () => ran.push('burst 2'))
    slots.after(30, () => ran.push('starved'), true)
    vi.advanceTimersByTime(50)
    expect(ran).toEqual(['starved', 'burst 1', 'burst 2'])
  })

  it('lets a task schedule the next one, which runs in its own later slot', () => {
    const slots = createSlotTimer(50)
    const ran: number[] = []
    const every = () => {
      ran.push(since())
      if (ran.length < 4) slots.after(250, every)
    }
    slots.after(250, every)
    vi.advanceTimersByTime(2000)
    expect(ran).toEqual([250, 500, 750, 1000])
  })

  it('clears everything at once', () => {
    const slots = createSlotTimer(50)
    const ran: string[] = []
    slots.after(10, () => ran.push('a'))
    slots.after(500, () => ran.push('b'))
    slots.clear()
    vi.advanceTimersByTime(1000)
    expect(ran).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps its time when the wall clock is set back an hour', () => {
    const slots = createSlotTimer(50)
    const ran: string[] = []
    slots.after(1000, () => ran.push('probe'))
    vi.setSystemTime(T0 - 3_600_000)
    vi.advanceTimersByTime(1000)
    expect(ran).toEqual(['probe'])
  })
})
