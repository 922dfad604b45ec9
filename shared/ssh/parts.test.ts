import { describe, expect, it } from 'vitest'
import { createLineSplitter } from './channel.ts'
import { createLimiter } from './limiter.ts'

describe('createLimiter', () => {
  it('admits up to max, queues up to maxQueued, refuses beyond, and hands slots over in order', async () => {
    const limiter = createLimiter(1, 1, () => new Error('full'))
    const first = await limiter.acquire()
    const second = limiter.acquire()
    await expect(limiter.acquire()).rejects.toThrow('full')
    expect([limiter.active, limiter.queued]).toEqual([1, 1])
    first()
    first()
    const release = await second
    expect([limiter.active, limiter.queued]).toEqual([1, 0])
    release()
    expect(limiter.active).toBe(0)
  })

  it('drops a waiter whose signal aborts, and drains waiters on close', async () => {
    const limiter = createLimiter(1, 5, () => new Error('full'))
    await limiter.acquire()
    const ac = new AbortController()
    const waiting = limiter.acquire(ac.signal)
    ac.abort(new Error('gone'))
    await expect(waiting).rejects.toThrow('gone')
    expect(limiter.queued).toBe(0)
    const other = limiter.acquire()
    limiter.drain(new Error('closed'))
    await expect(other).rejects.toThrow('closed')
  })
})

describe('createLineSplitter', () => {
  it('splits across chunk boundaries, strips CR, cuts long lines and flushes the tail', () => {
    const lines: Array<[string, boolean]> = []
    const s = createLineSplitter(8, (line, truncated) => lines.push([line, truncated]))
    for (const chunk of ['ab', 'c\r\nde', 'f\n0123456789abcdef', 'ghij\nshort\n', 'ü中', '\ntail'])
      s.push(Buffer.from(chunk))
    s.end()
    expect(lines).toEqual([
      ['abc', false],
      ['def', false],
      ['01234567', true],
      ['short', false],
      ['ü中', false],
      ['tail', false],
    ])
  })

  it('optionally ends lines at CR too, so progress-bar redraws arrive one by one', () => {
    const lines: string[] = []
    const s = createLineSplitter(64, (line) => lines.push(line), true)
    for (const chunk of ['a: 10%\ra: 5', '0%\ra: 100%\r\n', '/snap\n']) s.push(Buffer.from(chunk))
    s.end()
    expect(lines).toEqual(['a: 10%', 'a: 50%', 'a: 100%', '', '/snap'])
  })
})
