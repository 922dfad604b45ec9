/** The store and the rehydrator together: each map gives back its own values and no other map's. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createStreamRehydrator, rehydrate } from '../domain/rehydrate/rehydrate.ts'
import { type MapStore, openMapStore } from './map-store-sqlite.ts'

let root: string
let store: MapStore
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'map-store-rehydrate-'))
  store = await openMapStore({
    path: join(root, 'r.db'),
    key: Buffer.alloc(32, 3),
    ttlS: 3600,
    sweepEveryMs: 0,
  })
})
afterEach(async () => {
  store.close()
  await rm(root, { recursive: true, force: true })
})

describe('map store + rehydrate', () => {
  it('two maps never exchange values, whole or streamed', () => {
    const a = store.create('task-a').handle
    const b = store.create('task-b').handle
    const text = `Dear ${store.tokenFor(a, 'PERSON', 'Alice Archer')}, ${store.tokenFor(a, 'ORG', 'Aardvark LLC')} wrote [person_1].`
    store.tokenFor(b, 'PERSON', 'Bob Baker')
    expect(text).toBe('Dear [PERSON_1], [ORG_1] wrote [person_1].')
    const lookupA = (tokens: readonly string[]) => store.valuesFor(a, tokens)
    const lookupB = (tokens: readonly string[]) => store.valuesFor(b, tokens)
    expect(rehydrate(text, lookupA).text).toBe('Dear Alice Archer, Aardvark LLC wrote Alice Archer.')
    const withB = rehydrate(text, lookupB)
    expect(withB.text).toBe('Dear Bob Baker, [ORG_1] wrote Bob Baker.')
    expect(withB.unknown).toEqual(['[ORG_1]'])
    const stream = createStreamRehydrator(lookupB)
    const streamed = [...text].map((c) => stream.push(c)).join('') + stream.end()
    expect(streamed).toBe(withB.text)
    expect(streamed).not.toMatch(/Alice|Aardvark/)
  })
})
