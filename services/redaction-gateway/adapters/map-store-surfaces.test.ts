/**
 * The map store's surface forms and the reads a scrub makes for propagation: found only by the
 * exact (map, token, context), sealed, first one kept, gone with their map, atomic with its tokens.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../shared/sqlite.ts'
import { MAP_STORE_MIGRATIONS } from './map-store-schema.ts'
import { type MapStore, type MapStoreOptions, openMapStore } from './map-store-sqlite.ts'

const KEY = Buffer.alloc(32, 0x5a)
let root: string
let clock: number
const open: MapStore[] = []
const path = () => join(root, 'maps', 'r.db')

async function store(overrides: Partial<MapStoreOptions> = {}) {
  const s = await openMapStore({
    path: path(),
    key: KEY,
    ttlS: 3600,
    now: () => clock,
    sweepEveryMs: 0,
    ...overrides,
  })
  open.push(s)
  return s
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'map-store-surfaces-'))
  clock = Date.UTC(2026, 11, 6)
})
afterEach(async () => {
  for (const s of open.splice(0)) s.close()
  await rm(root, { recursive: true, force: true })
})

const at = (token: string, before: string, after: string, nth = 0) => ({ token, before, after, nth })

describe('map store: values for a scrub', () => {
  it('entryFor gives the token and the value first stored for it, however an equal value is spelled', async () => {
    const s = await store()
    const { handle } = s.create('t')
    expect(s.entryFor(handle, 'PERSON', 'José García', 'jose garcia')).toEqual({
      token: '[PERSON_1]',
      value: 'José García',
    })
    expect(s.entryFor(handle, 'PERSON', 'JOSE GARCIA', 'jose garcia')).toEqual({
      token: '[PERSON_1]',
      value: 'José García',
    })
    expect(s.tokenFor(handle, 'PERSON', 'Mark Lee')).toBe('[PERSON_2]')
  })

  it("valuesOfType reads one type of one map's values", async () => {
    const s = await store()
    const a = s.create('t').handle
    const b = s.create('t').handle
    s.tokenFor(a, 'PERSON', 'Sarah Johnson')
    s.tokenFor(a, 'ORG', 'Acme')
    s.tokenFor(a, 'PERSON', 'Mark Lee')
    s.tokenFor(b, 'PERSON', 'Bob Baker')
    expect(s.valuesOfType(a, 'PERSON').sort()).toEqual(['Mark Lee', 'Sarah Johnson'])
    expect(s.valuesOfType(b, 'ORG')).toEqual([])
  })
})

describe('map store: surface forms', () => {
  it('answers a surface only for the exact map, token and context it was recorded under', async () => {
    const s = await store()
    const a = s.create('t').handle
    const b = s.create('t').handle
    s.tokenFor(a, 'PERSON', 'Sarah Johnson')
    s.recordSurfaces(a, [{ ...at('[PERSON_1]', 'Later ', ' said yes.'), surface: 'Sarah' }])
    expect(s.surfacesAt(a, [at('[PERSON_1]', 'Later ', ' said yes.')])).toEqual(['Sarah'])
    expect(
      s.surfacesAt(a, [
        at('[PERSON_1]', 'later ', ' said yes.'),
        at('[PERSON_1]', 'Later ', ' said yes'),
        at('[PERSON_2]', 'Later ', ' said yes.'),
        // The second occurrence with those sides in a text is another context.
        at('[PERSON_1]', 'Later ', ' said yes.', 1),
        // The frame keeps the sides apart: moving text across the placeholder is another context.
        at('[PERSON_1]', 'Later  ', 'said yes.'),
      ]),
    ).toEqual([undefined, undefined, undefined, undefined, undefined])
    expect(s.surfacesAt(b, [at('[PERSON_1]', 'Later ', ' said yes.')])).toEqual([undefined])
  })

  it('keeps the first surface recorded under a context: a later scrub cannot change an earlier answer', async () => {
    const s = await store()
    const { handle } = s.create('t')
    s.recordSurfaces(handle, [{ ...at('[PERSON_1]', '', ' called.'), surface: 'Sarah' }])
    s.recordSurfaces(handle, [{ ...at('[PERSON_1]', '', ' called.'), surface: 'SARAH' }])
    expect(s.surfacesAt(handle, [at('[PERSON_1]', '', ' called.')])).toEqual(['Sarah'])
  })

  it('stores no surface in clear, and a sealed surface moved to another map fails instead of answering', async () => {
    const s = await store()
    const a = s.create('t').handle
    const b = s.create('t').handle
    const spot = at('[PERSON_1]', 'Met ', ' today.')
    s.recordSurfaces(a, [{ ...spot, surface: 'Zebulon' }])
    s.recordSurfaces(b, [{ ...spot, surface: 'Bob' }])
    s.close()
    const db = await openDatabase(path(), { migrations: MAP_STORE_MIGRATIONS })
    const raw = db.all<Record<string, Uint8Array>>('SELECT * FROM surfaces')
    expect(
      Buffer.concat(raw.flatMap((r) => Object.values(r).map((v) => Buffer.from(v)))).toString('latin1'),
    ).not.toMatch(/Zebulon|Met |today/)
    const sealed = db.get<Record<string, Uint8Array>>(
      'SELECT ciphertext, iv, tag FROM surfaces WHERE handle = ?',
      [a],
    )!
    db.run('UPDATE surfaces SET ciphertext = ?, iv = ?, tag = ? WHERE handle = ?', [
      sealed.ciphertext!,
      sealed.iv!,
      sealed.tag!,
      b,
    ])
    db.close()
    const again = await store()
    expect(() => again.surfacesAt(b, [spot])).toThrow()
    expect(again.surfacesAt(a, [spot])).toEqual(['Zebulon'])
    // Under another key the context hashes differ: nothing is found, nothing is decrypted.
    const other = await store({ key: Buffer.alloc(32, 0x01) })
    expect(other.surfacesAt(a, [spot])).toEqual([undefined])
  })

  it('are written with the batch they belong to: a failed scrub leaves neither tokens nor surfaces', async () => {
    const s = await store()
    const { handle } = s.create('t')
    expect(() =>
      s.batch(() => {
        s.tokenFor(handle, 'PERSON', 'Sarah Johnson')
        s.recordSurfaces(handle, [{ ...at('[PERSON_1]', 'a ', ' b'), surface: 'Sarah' }])
        throw new Error('scrub failed')
      }),
    ).toThrow('scrub failed')
    expect(s.surfacesAt(handle, [at('[PERSON_1]', 'a ', ' b')])).toEqual([undefined])
    expect(s.valuesOfType(handle, 'PERSON')).toEqual([])
  })

  it('go with their map: swept when it expires, deleted with it', async () => {
    const s = await store()
    const old = s.create('t').handle
    s.tokenFor(old, 'PERSON', 'Sarah Johnson')
    s.recordSurfaces(old, [{ ...at('[PERSON_1]', '', ''), surface: 'Sarah' }])
    clock += 3600_000
    const live = s.create('t').handle
    s.tokenFor(live, 'PERSON', 'Sarah Johnson')
    s.recordSurfaces(live, [{ ...at('[PERSON_1]', '', ''), surface: 'Sarah' }])
    expect(() => s.surfacesAt(old, [at('[PERSON_1]', '', '')])).toThrow(
      expect.objectContaining({ status: 410 }),
    )
    expect(s.sweep()).toBe(1)
    s.delete(live)
    s.close()
    const db = await openDatabase(path(), { migrations: MAP_STORE_MIGRATIONS })
    expect(db.get<{ n: number }>('SELECT COUNT(*) AS n FROM surfaces')).toEqual({ n: 0 })
    db.close()
  })
})
