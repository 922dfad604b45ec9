import { describe, expect, it } from 'vitest'
import type { Priority } from './lanes.ts'
import { createFairQueue, type Queued } from './queue.ts'

const item = (client: string, priority: Priority = 'standard', work = 1): Queued & { name: string } => ({
  client,
  priority,
  work,
  name: `${client}-${priority}-${work}`,
})

function drain<T extends Queued>(q: ReturnType<typeof createFairQueue<T>>): T[] {
  const out: T[] = []
  for (let next = q.shift(); next; next = q.shift()) out.push(next)
  return out
}

describe('fair queue', () => {
  it('takes the highest priority first and clients in turns within it', () => {
    const q = createFairQueue<ReturnType<typeof item>>()
    for (const it of [
      item('a'),
      item('a'),
      item('a'),
      item('b'),
      item('z', 'batch'),
      item('i', 'interactive'),
    ])
      q.push(it)
    expect(drain(q).map((x) => `${x.client}/${x.priority}`)).toEqual([
      'i/interactive',
      'a/standard',
      'b/standard',
      'a/standard',
      'a/standard',
      'z/batch',
    ])
    expect(q.size).toBe(0)
  })

  it('counts what is ahead of a newcomer exactly as shift will serve it', () => {
    const q = createFairQueue<ReturnType<typeof item>>()
    const pushed = [
      item('a', 'standard', 10),
      item('a', 'standard', 20),
      item('b', 'standard', 5),
      item('c', 'batch', 7),
    ]
    for (const it of pushed) q.push(it)
    // b's second item: a gets two turns (it is ahead of b), b one; c's batch item is behind.
    expect(q.ahead(item('b', 'standard', 1))).toEqual({ count: 3, work: 35 })
    // A new standard client goes to the back of the turns: one of a's, one of b's.
    expect(q.ahead(item('n'))).toEqual({ count: 2, work: 15 })
    expect(q.ahead(item('n', 'interactive'))).toEqual({ count: 0, work: 0 })
    expect(q.ahead(item('n', 'batch'))).toEqual({ count: 4, work: 42 })
    const newcomer = item('b', 'standard', 1)
    q.push(newcomer)
    expect(drain(q).indexOf(newcomer)).toBe(3)
  })

  it('removes an item from the middle, and a client with nothing left loses its turn', () => {
    const q = createFairQueue<ReturnType<typeof item>>()
    const [a1, b1, a2] = [item('a', 'standard', 1), item('b'), item('a', 'standard', 2)]
    for (const it of [a1!, b1!, a2!]) q.push(it)
    expect(q.remove(b1!)).toBe(true)
    expect(q.remove(b1!)).toBe(false)
    expect(q.size).toBe(2)
    expect(q.sizeAt('standard')).toBe(2)
    expect(q.totalWork()).toBe(3)
    expect(drain(q)).toEqual([a1, a2])
  })
})
