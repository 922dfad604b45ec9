import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../shared/sqlite.ts'
import { prepareMapStore } from './map-store.ts'
import { MapFileExposedError } from './map-store-files.ts'
import { MAP_STORE_MIGRATIONS } from './map-store-schema.ts'
import {
  EXPIRED_TOMBSTONE_MS,
  type MapStore,
  type MapStoreOptions,
  openMapStore,
} from './map-store-sqlite.ts'

const KEY = Buffer.alloc(32, 0x11)
const TTL_S = 3600
let root: string
let clock: number
const open: MapStore[] = []

async function store(overrides: Partial<MapStoreOptions> = {}) {
  const s = await openMapStore({
    path: join(root, 'maps', 'r.db'),
    key: KEY,
    ttlS: TTL_S,
    now: () => clock,
    sweepEveryMs: 0,
    ...overrides,
  })
  open.push(s)
  return s
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'map-store-'))
  clock = Date.UTC(2026, 11, 6)
})
afterEach(async () => {
  for (const s of open.splice(0)) s.close()
  vi.useRealTimers()
  await rm(root, { recursive: true, force: true })
})

describe('map store', () => {
  it('numbers tokens per type, gives an equal value its token back, and answers only the tokens asked', async () => {
    const s = await store()
    const { handle } = s.create('task-1')
    expect(s.tokenFor(handle, 'PERSON', 'Sarah Johnson')).toBe('[PERSON_1]')
    expect(s.tokenFor(handle, 'PERSON', 'Mark Lee')).toBe('[PERSON_2]')
    expect(s.tokenFor(handle, 'ORG', 'Acme')).toBe('[ORG_1]')
    expect(s.tokenFor(handle, 'PERSON', ' Sarah   Johnson ')).toBe('[PERSON_1]')
    expect(s.tokenFor(handle, 'BTC_ADDR', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toBe('[BTC_ADDR_1]')
    // base58 is case-sensitive: another case is another value unless the caller says otherwise.
    expect(s.tokenFor(handle, 'BTC_ADDR', '1boatslrhtknngkdxeeobr76b53lettpyt')).toBe('[BTC_ADDR_2]')
    expect(s.tokenFor(handle, 'EMAIL', 'A@X.io', 'a@x.io')).toBe('[EMAIL_1]')
    expect(s.tokenFor(handle, 'EMAIL', 'a@x.io', 'a@x.io')).toBe('[EMAIL_1]')
    const values = s.valuesFor(handle, ['[PERSON_2]', '[ORG_1]', '[PERSON_9]', '[EMAIL_1]'])
    expect([...values.entries()].sort()).toEqual([
      ['[EMAIL_1]', 'A@X.io'],
      ['[ORG_1]', 'Acme'],
      ['[PERSON_2]', 'Mark Lee'],
    ])
  })

  it('keeps two maps apart: one value, two maps, two unrelated rows; a token of one is unknown in the other', async () => {
    const s = await store()
    const a = s.create('t').handle
    const b = s.create('t').handle
    expect(s.tokenFor(a, 'PERSON', 'Alice')).toBe('[PERSON_1]')
    expect(s.tokenFor(b, 'PERSON', 'Bob')).toBe('[PERSON_1]')
    expect(s.tokenFor(b, 'PERSON', 'Alice')).toBe('[PERSON_2]')
    expect(s.valuesFor(a, ['[PERSON_1]', '[PERSON_2]'])).toEqual(new Map([['[PERSON_1]', 'Alice']]))
    expect(s.valuesFor(b, ['[PERSON_1]'])).toEqual(new Map([['[PERSON_1]', 'Bob']]))
  })

  it('stores no value in clear, and a ciphertext moved to another map or token fails instead of answering', async () => {
    const s = await store()
    const a = s.create('t').handle
    const b = s.create('t').handle
    s.tokenFor(a, 'PERSON', 'Zebulon Quartermaine')
    s.tokenFor(a, 'PERSON', 'Other Person')
    s.tokenFor(b, 'PERSON', 'Bob')
    s.close()
    const db = await openDatabase(join(root, 'maps', 'r.db'), { migrations: MAP_STORE_MIGRATIONS })
    const raw = db.all<Record<string, unknown>>('SELECT * FROM entries')
    expect(JSON.stringify(raw)).not.toMatch(/Zebulon|Quartermaine/)
    expect(
      Buffer.concat(raw.map((r) => Buffer.from(r.ciphertext as Uint8Array))).toString('latin1'),
    ).not.toContain('Zebulon')
    // Copy map A's first value over map B's row, then over A's second token.
    const sealed = db.get<Record<string, Uint8Array>>(
      'SELECT ciphertext, iv, tag FROM entries WHERE handle = ? AND token = ?',
      [a, '[PERSON_1]'],
    )!
    db.run('UPDATE entries SET ciphertext = ?, iv = ?, tag = ? WHERE handle = ?', [
      sealed.ciphertext!,
      sealed.iv!,
      sealed.tag!,
      b,
    ])
    db.run('UPDATE entries SET ciphertext = ?, iv = ?, tag = ? WHERE handle = ? AND token = ?', [
      sealed.ciphertext!,
      sealed.iv!,
      sealed.tag!,
      a,
      '[PERSON_2]',
    ])
    db.close()
    const again = await store()
    expect(() => again.valuesFor(b, ['[PERSON_1]'])).toThrow()
    expect(() => again.valuesFor(a, ['[PERSON_2]'])).toThrow()
    expect(again.valuesFor(a, ['[PERSON_1]']).get('[PERSON_1]')).toBe('Zebulon Quartermaine')
  })

  it('cannot read the maps with another key', async () => {
    const s = await store()
    const { handle } = s.create('t')
    s.tokenFor(handle, 'ORG', 'Acme')
    s.close()
    const other = await store({ key: Buffer.alloc(32, 0x22) })
    expect(() => other.valuesFor(handle, ['[ORG_1]'])).toThrow()
    // Nor find an equal value: the dedup hash is keyed too, so it hands out a new token (which still fails to read).
    expect(other.tokenFor(handle, 'ORG', 'Acme')).toBe('[ORG_2]')
  })

  it('expires a map after its TTL, extends a live one, 410 while the tombstone lasts, 404 after', async () => {
    const s = await store()
    const { handle, expiresAt } = s.create('t')
    expect(expiresAt.getTime()).toBe(clock + TTL_S * 1000)
    s.tokenFor(handle, 'PERSON', 'Alice')
    clock += 1800_000
    expect(s.extend(handle)).toEqual({ state: 'live', expiresAt: new Date(clock + TTL_S * 1000) })
    clock += 3599_000
    expect(s.status(handle)).toBe('live')
    clock += 1000
    expect(s.status(handle)).toBe('expired')
    expect(s.extend(handle)).toEqual({ state: 'expired' })
    expect(() => s.valuesFor(handle, ['[PERSON_1]'])).toThrow(
      expect.objectContaining({ status: 410, code: 'map_expired' }),
    )
    expect(() => s.tokenFor(handle, 'PERSON', 'Bob')).toThrow(expect.objectContaining({ status: 410 }))
    expect(s.sweep()).toBe(1)
    expect(s.sweep()).toBe(0)
    expect(s.status(handle)).toBe('expired')
    clock += EXPIRED_TOMBSTONE_MS
    s.sweep()
    expect(s.status(handle)).toBe('unknown')
    expect(() => s.valuesFor(handle, ['[PERSON_1]'])).toThrow(
      expect.objectContaining({ status: 404, code: 'map_not_found' }),
    )
    expect(s.extend('nope')).toEqual({ state: 'unknown' })
  })

  it('sweeps in bounded batches, leaves live maps alone, and deletes a map with its values', async () => {
    const s = await store()
    const handles = Array.from({ length: 5 }, () => s.create('t').handle)
    for (const h of handles) s.tokenFor(h, 'PERSON', 'Alice')
    clock += TTL_S * 1000
    const live = s.create('t').handle
    s.tokenFor(live, 'PERSON', 'Carol')
    expect(s.sweep(2)).toBe(2)
    expect(s.sweep(2)).toBe(2)
    expect(s.sweep(2)).toBe(1)
    expect(s.sweep(2)).toBe(0)
    expect(s.valuesFor(live, ['[PERSON_1]']).get('[PERSON_1]')).toBe('Carol')
    expect(s.delete(live)).toBe(true)
    expect(s.status(live)).toBe('unknown')
    expect(s.delete(live)).toBe(false)
  })

  it('runs the sweep on its own every interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const s = await store({ sweepEveryMs: 3600_000 })
    const { handle } = s.create('t')
    s.tokenFor(handle, 'PERSON', 'Alice')
    clock += TTL_S * 1000
    vi.advanceTimersByTime(3600_000)
    clock += EXPIRED_TOMBSTONE_MS
    expect(s.status(handle)).toBe('expired')
    vi.advanceTimersByTime(3600_000)
    expect(s.status(handle)).toBe('unknown')
  })

  it('creates the folder 0700 and the file 0600, and refuses an existing file others can read', async () => {
    const s = await store()
    s.close()
    expect((await stat(join(root, 'maps'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(root, 'maps', 'r.db'))).mode & 0o777).toBe(0o600)
    await chmod(join(root, 'maps', 'r.db'), 0o644)
    await expect(store()).rejects.toThrow(MapFileExposedError)
    await expect(store()).rejects.toThrow(/mode 0644.*chmod 600/)
    const loose = join(root, 'loose.db')
    await writeFile(loose, '', { mode: 0o604 })
    await chmod(loose, 0o604)
    await expect(store({ path: loose })).rejects.toThrow(/loose\.db: readable or writable by other users/)
  })

  it('reports an exposed file through readiness too', async () => {
    const file = join(root, 'exposed.db')
    await writeFile(file, '', { mode: 0o600 })
    expect((await prepareMapStore(file)).state).toBe('up')
    await chmod(file, 0o640)
    expect(await prepareMapStore(file)).toMatchObject({
      state: 'down',
      detail: expect.stringMatching(/mode 0640/),
    })
  })

  it('refuses a type that is not a placeholder type and an unknown handle', async () => {
    const s = await store()
    const { handle } = s.create('t')
    expect(() => s.tokenFor(handle, 'person', 'x')).toThrow(RangeError)
    expect(() => s.tokenFor(handle, 'PER]SON', 'x')).toThrow(RangeError)
    expect(() => s.tokenFor('missing', 'PERSON', 'x')).toThrow(expect.objectContaining({ status: 404 }))
  })

  it('keeps a batch of tokens atomic: a failure inside leaves none of them', async () => {
    const s = await store()
    const { handle } = s.create('t')
    expect(() =>
      s.batch(() => {
        s.tokenFor(handle, 'PERSON', 'Alice')
        throw new Error('scrub failed')
      }),
    ).toThrow('scrub failed')
    expect(s.tokenFor(handle, 'PERSON', 'Bob')).toBe('[PERSON_1]')
  })
})
