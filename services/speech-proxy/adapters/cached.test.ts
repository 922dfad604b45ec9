import { describe, expect, it } from 'vitest'
import { createCached } from './cached.ts'

function counter(results: Array<string | Error>) {
  let calls = 0
  const load = async () => {
    const r = results[Math.min(calls++, results.length - 1)]!
    if (r instanceof Error) throw r
    return r
  }
  return { load, calls: () => calls }
}

describe('cached upstream list', () => {
  it('asks once for concurrent callers and reuses a fresh answer', async () => {
    let clock = 0
    const src = counter(['a', 'b'])
    const cached = createCached(src.load, { ttlMs: 100, now: () => clock })
    expect(await Promise.all([cached.get(), cached.get(), cached.get()])).toEqual(['a', 'a', 'a'])
    clock = 99
    expect(await cached.get()).toBe('a')
    expect(src.calls()).toBe(1)
    clock = 101
    expect(await cached.get()).toBe('b')
  })

  it('serves the last good answer while the upstream fails, within the stale window', async () => {
    let clock = 0
    const src = counter(['a', new Error('down')])
    const cached = createCached(src.load, { ttlMs: 10, staleMs: 100, now: () => clock })
    await cached.get()
    clock = 50
    expect(await cached.get()).toBe('a')
    clock = 200
    await expect(cached.get()).rejects.toThrow('down')
  })

  it('remembers a failure briefly instead of asking again on every call', async () => {
    let clock = 0
    const src = counter([new Error('down'), 'a'])
    const cached = createCached(src.load, { ttlMs: 10, errorTtlMs: 50, now: () => clock })
    await expect(cached.get()).rejects.toThrow('down')
    clock = 40
    await expect(cached.get()).rejects.toThrow('down')
    expect(src.calls()).toBe(1)
    clock = 60
    expect(await cached.get()).toBe('a')
  })
})
