import { describe, expect, it } from 'vitest'
import { createCsrfTokens } from './csrf.ts'
import { createLockout } from './lockout.ts'
import { hashPassword, parsePasswordHash, verifyPassword } from './password.ts'
import { createSessionStore } from './session.ts'

// A low cost keeps the unit tests fast; the default cost is measured in docs, not here.
const CHEAP = { N: 2 ** 10, r: 8, p: 1 }

describe('password hash', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse', CHEAP)
    const b = await hashPassword('correct horse', CHEAP)
    expect(a).not.toBe(b)
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horse', b)).toBe(true)
    expect(await verifyPassword('correct hors', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  })

  it('keeps its cost in the hash and refuses unreadable or absurd hashes', async () => {
    const h = await hashPassword('pw', CHEAP)
    expect(parsePasswordHash(h)?.cost).toEqual(CHEAP)
    for (const bad of ['', 'pw', 'scrypt$1000$8$1$abc$def', h.replace('$1024$', '$2097152$'), `${h}$x`])
      expect(await verifyPassword('pw', bad)).toBe(false)
  })

  it('the default cost hashes with more work than the test cost', async () => {
    const h = await hashPassword('pw')
    expect(parsePasswordHash(h)?.cost.N).toBeGreaterThanOrEqual(2 ** 15)
  })
})

describe('sessions', () => {
  const HOUR = 3600_000
  const setup = () => {
    let t = 1_000_000
    const clock = {
      now: () => t,
      advance: (ms: number) => {
        t += ms
      },
    }
    return { clock, store: createSessionStore({ idleMs: 12 * HOUR, absoluteMs: 7 * 24 * HOUR }, clock.now) }
  }

  it('ids are 256 random bits; unknown and malformed ids find nothing', () => {
    const { store } = setup()
    const s = store.create()
    expect(Buffer.from(s.id, 'base64url')).toHaveLength(32)
    expect(store.touch(s.id)?.id).toBe(s.id)
    expect(store.touch('x'.repeat(43))).toBeNull()
    expect(store.touch('short')).toBeNull()
    expect(store.touch(null)).toBeNull()
  })

  it('ends after the idle time without a request, and each request restarts the idle clock', () => {
    const { clock, store } = setup()
    const s = store.create()
    clock.advance(11 * HOUR)
    expect(store.touch(s.id)).not.toBeNull()
    clock.advance(11 * HOUR)
    expect(store.touch(s.id)).not.toBeNull()
    clock.advance(12 * HOUR)
    expect(store.touch(s.id)).toBeNull()
    expect(store.size).toBe(0)
  })

  it('ends at the absolute limit however busy it is', () => {
    const { clock, store } = setup()
    const s = store.create()
    // 27 × 6 h = 162 h: still inside the 168 h limit; the next 6 h reach it.
    for (let i = 0; i < 27; i++) {
      clock.advance(6 * HOUR)
      expect(store.touch(s.id)).not.toBeNull()
    }
    clock.advance(6 * HOUR)
    expect(store.touch(s.id)).toBeNull()
  })

  it('a login rotates the id (the old one is dead) and logout destroys the session', () => {
    const { store } = setup()
    const first = store.create()
    const second = store.create(first.id)
    expect(second.id).not.toBe(first.id)
    expect(store.touch(first.id)).toBeNull()
    expect(store.touch(second.id)).not.toBeNull()
    store.destroy(second.id)
    expect(store.touch(second.id)).toBeNull()
  })
})

describe('CSRF tokens', () => {
  it('accept the token of the same binding only, under the same key only', () => {
    const csrf = createCsrfTokens()
    const token = csrf.tokenFor('session-a')
    expect(csrf.check('session-a', token)).toBe(true)
    expect(csrf.check('session-b', token)).toBe(false)
    expect(csrf.check('session-a', null)).toBe(false)
    expect(csrf.check('session-a', '')).toBe(false)
    expect(csrf.check('session-a', `${token}x`)).toBe(false)
    expect(csrf.check('session-a', 'x'.repeat(500))).toBe(false)
    expect(createCsrfTokens().check('session-a', token)).toBe(false)
  })
})

describe('lockout', () => {
  const policy = { failures: 5, baseMs: 60_000, maxMs: 600_000, globalFailures: 20 }
  const setup = () => {
    let t = 0
    return {
      advance: (ms: number) => {
        t += ms
      },
      lockout: createLockout(policy, () => t),
    }
  }

  it('locks an address after 5 misses, doubling each further miss up to the cap', () => {
    const { advance, lockout } = setup()
    for (let i = 0; i < 4; i++) expect(lockout.fail('a')).toBe(0)
    expect(lockout.waitMs('a')).toBe(0)
    expect(lockout.fail('a')).toBe(60_000)
    expect(lockout.waitMs('a')).toBe(60_000)
    expect(lockout.waitMs('b')).toBe(0)
    advance(30_000)
    expect(lockout.waitMs('a')).toBe(30_000)
    advance(30_000)
    expect(lockout.waitMs('a')).toBe(0)
    expect(lockout.fail('a')).toBe(120_000)
    advance(120_000)
    expect(lockout.fail('a')).toBe(240_000)
    advance(240_000)
    expect(lockout.fail('a')).toBe(480_000)
    advance(480_000)
    expect(lockout.fail('a')).toBe(600_000)
  })

  it('a success clears the address', () => {
    const { lockout } = setup()
    for (let i = 0; i < 4; i++) lockout.fail('a')
    lockout.succeed('a')
    expect(lockout.fail('a')).toBe(0)
  })

  it('many addresses missing within one period lock every address', () => {
    const { advance, lockout } = setup()
    for (let i = 0; i < 19; i++) lockout.fail(`127.0.0.${i + 10}`)
    expect(lockout.waitMs('127.0.9.9')).toBe(0)
    lockout.fail('127.0.1.1')
    expect(lockout.waitMs('127.0.9.9')).toBe(60_000)
    advance(60_000)
    expect(lockout.waitMs('127.0.9.9')).toBe(0)
  })
})
