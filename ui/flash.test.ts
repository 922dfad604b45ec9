import { describe, expect, it } from 'vitest'
import { FLASH_PARAM, FlashNotices } from './flash.ts'

const notice = (text: string) => ({ tone: 'warn' as const, text })

describe('FlashNotices', () => {
  it('gives a notice back once, under an id that says nothing of it', () => {
    const flash = new FlashNotices()
    const id = flash.put(notice('The swap lock is held by nightly-eval.'))
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(flash.take(id)).toEqual(notice('The swap lock is held by nightly-eval.'))
    expect(flash.take(id)).toBeNull()
    expect(flash.take('made-up')).toBeNull()
    expect(flash.take(undefined)).toBeNull()
  })

  it('forgets a notice nobody came back for in time', () => {
    let now = 0
    const flash = new FlashNotices({ ttlMs: 1000, now: () => now })
    const late = flash.put(notice('late'))
    const soon = flash.put(notice('soon'))
    now = 1000
    expect(flash.take(soon)).toEqual(notice('soon'))
    now = 1001
    expect(flash.take(late)).toBeNull()
  })

  it('keeps at most maxEntries, dropping the oldest first', () => {
    const flash = new FlashNotices({ maxEntries: 3 })
    const ids = ['a', 'b', 'c', 'd'].map((t) => flash.put(notice(t)))
    expect(flash.take(ids[0])).toBeNull()
    expect(ids.slice(1).map((id) => flash.take(id)?.text)).toEqual(['b', 'c', 'd'])
  })

  it('adds the id to the path only when there is something to say', () => {
    const flash = new FlashNotices()
    expect(flash.redirectPath('/ui/swap', null)).toBe('/ui/swap')
    const path = flash.redirectPath('/ui/swap', notice('busy'))
    const id = new URL(path, 'http://x').searchParams.get(FLASH_PARAM)
    expect(path.startsWith('/ui/swap?notice=')).toBe(true)
    expect(flash.take(id!)).toEqual(notice('busy'))
  })
})
