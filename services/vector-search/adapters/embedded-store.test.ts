import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { collectionSpec, point, querySpec, vectorStoreContract } from '../domain/store/contract-suite.ts'
import { openEmbeddedStore } from './embedded-store.ts'

vectorStoreContract('embedded (SQLite in memory)', async () => ({
  store: await openEmbeddedStore({ path: ':memory:' }),
}))

// The same suite with the coarse search always on (a floor of 1 candidate per result), so the
// bit-scan path and its widening under a filter are what answer, not the small-collection shortcut.
vectorStoreContract('embedded (coarse search forced)', async () => ({
  store: await openEmbeddedStore({ path: ':memory:', rescoreFactor: 1, minRescore: 1 }),
}))

describe('embedded store on disk', () => {
  it('keeps collections and points across a reopen, in an owner-only file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'embedded-store-'))
    const path = join(root, 'data', 'vectors.db')
    try {
      const first = await openEmbeddedStore({ path })
      await first.createCollection(collectionSpec('kept', { tenantField: 'tenant' }))
      await first.upsert({ collection: 'kept', tenant: 'A' }, [
        point(1, [1, 0, 0, 0], [[3, 1]], { doc: 'a' }),
      ])
      await first.upsert({ collection: 'kept', tenant: 'B' }, [
        point(2, [0, 1, 0, 0], [[3, 1]], { doc: 'b' }),
      ])
      await first.close()
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      expect((await stat(join(root, 'data'))).mode & 0o777).toBe(0o700)

      const second = await openEmbeddedStore({ path })
      expect(await second.getCollection('kept', 'A')).toMatchObject({ points: 1, tenantField: 'tenant' })
      const hits = await second.query(
        { collection: 'kept', tenant: 'A' },
        querySpec({ mode: 'hybrid', dense: [0, 1, 0, 0], sparse: { indices: [3], values: [1] } }),
      )
      expect(hits.map((h) => h.payload)).toEqual([{ doc: 'a', tenant: 'A' }])
      await second.close()
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('drops dead slots by reloading once most points were rewritten, answering the same', async () => {
    const store = await openEmbeddedStore({ path: ':memory:' })
    await store.createCollection(collectionSpec('churn'))
    const batch = (round: number) =>
      Array.from({ length: 5000 }, (_, i) => point(i + 1, [1, i % 7, round, 0], [[i % 50, 1]], { round }))
    for (const round of [1, 2, 3]) await store.upsert({ collection: 'churn' }, batch(round))
    expect((await store.getCollection('churn'))?.points).toBe(5000)
    const rows = await store.scroll(
      { collection: 'churn' },
      { must: [{ key: 'round', match: { value: 3 } }] },
      10_000,
    )
    expect(rows.length).toBe(5000)
    const hits = await store.query(
      { collection: 'churn' },
      querySpec({ mode: 'sparse', sparse: { indices: [7], values: [1] }, limit: 200 }),
    )
    expect(hits.length).toBe(100)
    await store.close()
  })
})
