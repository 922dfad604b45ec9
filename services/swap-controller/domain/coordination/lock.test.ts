import { describe, expect, it } from 'vitest'
import {
  checkSwapAllowed,
  clampTtl,
  decideAcquire,
  decideRelease,
  type LockRecord,
  lockView,
  secondsRemaining,
} from './lock.ts'
import { hashToken } from './token.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
const s = (seconds: number) => T0 + seconds * 1000
let minted = 0
const mint = () => `token-${++minted}`

function acquired(holder = 'alice', ttlSeconds?: number, at = T0) {
  const d = decideAcquire(null, { holder, ttlSeconds, note: 'maintenance' }, at, mint)
  if (d.kind !== 'acquired') throw new Error(`expected acquired, got ${d.kind}`)
  return d
}

describe('clampTtl', () => {
  it('defaults to 900 and clamps to [1, 86400]', () => {
    expect(clampTtl(undefined)).toBe(900)
    expect(clampTtl(null)).toBe(900)
    expect(clampTtl(Number.NaN)).toBe(900)
    expect(clampTtl(0)).toBe(1)
    expect(clampTtl(-50)).toBe(1)
    expect(clampTtl(1e9)).toBe(86_400)
    expect(clampTtl(120)).toBe(120)
    expect(clampTtl(0.5)).toBe(1)
  })
})

describe('acquire', () => {
  it('takes a free lock with a fresh token, keeping only its hash', () => {
    const d = acquired('alice', 60)
    expect(d.token).toMatch(/^token-\d+$/)
    expect(d.lock).toEqual({
      holder: 'alice',
      note: 'maintenance',
      acquiredAtMs: T0,
      expiresAtMs: s(60),
      tokenHash: hashToken(d.token),
    })
    expect(JSON.stringify(d.lock)).not.toContain(d.token)
  })

  it('refuses another holder while held, and lets anyone take it once expired', () => {
    const { lock } = acquired('alice', 60)
    expect(decideAcquire(lock, { holder: 'bob' }, s(59), mint)).toMatchObject({
      kind: 'refused',
      reason: 'other_holder',
      current: lock,
    })
    const later = decideAcquire(lock, { holder: 'bob', ttlSeconds: 10 }, s(60), mint)
    expect(later).toMatchObject({
      kind: 'acquired',
      lock: { holder: 'bob', acquiredAtMs: s(60), expiresAtMs: s(70), note: null },
    })
  })

  it('extends for the same holder with its token: new expiry from now, same start and token', () => {
    const { lock, token } = acquired('alice', 60)
    const d = decideAcquire(lock, { holder: 'alice', ttlSeconds: 300, token }, s(50), mint)
    expect(d).toEqual({ kind: 'extended', token, lock: { ...lock, expiresAtMs: s(350) } })
    const renoted = decideAcquire(lock, { holder: 'alice', token, note: null }, s(50), mint)
    expect(renoted.kind === 'extended' && renoted.lock.note).toBeNull()
  })

  it('refuses the same holder without the token or with a wrong one', () => {
    const { lock } = acquired('alice')
    expect(decideAcquire(lock, { holder: 'alice' }, s(1), mint)).toMatchObject({
      kind: 'refused',
      reason: 'token_required',
    })
    expect(decideAcquire(lock, { holder: 'alice', token: 'guess' }, s(1), mint)).toMatchObject({
      kind: 'refused',
      reason: 'token_mismatch',
    })
  })

  it('ignores a stale token when the lock has expired and mints a new one', () => {
    const { lock, token } = acquired('alice', 1)
    const d = decideAcquire(lock, { holder: 'alice', token }, s(2), mint)
    expect(d.kind).toBe('acquired')
    expect(d.kind === 'acquired' && d.token).not.toBe(token)
  })
})

describe('release', () => {
  it('needs the token, accepts force, and is a no-op when nothing is held', () => {
    const { lock, token } = acquired()
    expect(decideRelease(lock, {}, s(1))).toMatchObject({ kind: 'refused', reason: 'token_required' })
    expect(decideRelease(lock, { token: 'nope' }, s(1))).toMatchObject({
      kind: 'refused',
      reason: 'token_mismatch',
    })
    expect(decideRelease(lock, { token }, s(1))).toEqual({ kind: 'released', previous: lock, forced: false })
    expect(decideRelease(lock, { force: true }, s(1))).toEqual({
      kind: 'released',
      previous: lock,
      forced: true,
    })
    expect(decideRelease(null, { token }, s(1))).toEqual({ kind: 'not_held' })
    expect(decideRelease(lock, {}, s(901))).toEqual({ kind: 'not_held' })
  })
})

describe('checkSwapAllowed', () => {
  it('allows swaps when free, with the token when held, and answers 423 otherwise', () => {
    const { lock, token } = acquired()
    expect(checkSwapAllowed(null, undefined, T0)).toEqual({ ok: true, lock: null })
    expect(checkSwapAllowed(lock, token, s(10))).toEqual({ ok: true, lock })
    expect(checkSwapAllowed(lock, undefined, s(10))).toMatchObject({
      ok: false,
      status: 423,
      reason: 'token_required',
    })
    expect(checkSwapAllowed(lock, 'x'.repeat(300), s(10))).toMatchObject({
      ok: false,
      status: 423,
      reason: 'token_mismatch',
    })
    expect(checkSwapAllowed(lock, undefined, s(900))).toEqual({ ok: true, lock: null })
  })
})

describe('lockView', () => {
  const lock: LockRecord = {
    holder: 'alice',
    note: null,
    acquiredAtMs: T0,
    expiresAtMs: s(900),
    tokenHash: hashToken('t'),
  }

  it('shows holder, ISO +00:00 times and whole seconds left, never the token hash', () => {
    expect(lockView(lock, s(0.2))).toEqual({
      held: true,
      holder: 'alice',
      acquired_at: '2026-03-01T12:00:00.000000+00:00',
      expires_at: '2026-03-01T12:15:00.000000+00:00',
      seconds_remaining: 900,
      note: null,
    })
    expect(JSON.stringify(lockView(lock, T0))).not.toContain(lock.tokenHash)
  })

  it('rounds seconds up while held and is {held:false} from the expiry on', () => {
    expect(secondsRemaining(lock, s(899.001))).toBe(1)
    expect(lockView(lock, s(899.5))).toMatchObject({ seconds_remaining: 1 })
    expect(lockView(lock, s(900))).toEqual({ held: false })
    expect(lockView(null, T0)).toEqual({ held: false })
  })
})
