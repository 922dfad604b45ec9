/**
 * The behaviour every `VectorStore` owes the routes, as one vitest suite: the embedded store and the
 * Qdrant adapter (against the Qdrant double, or a real Qdrant) both run it, so an answer never
 * depends on which store is configured. Expected scores follow Qdrant's definitions (Cosine
 * similarity of normalised vectors, sparse dot product, RRF `1/(k + rank)` with rank from 0, DBSF's
 * mean ± 3σ normalisation); Qdrant computes in f32, hence the 4-digit comparisons.
 *
 * Each test makes its own collections with a random suffix, so the suite also runs against a shared
 * Qdrant; the factory's `cleanup` removes whatever it opened.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  expectedDbsf,
  expectedRrf,
  expectStoreError,
  filterCases,
  tenantCases,
  uuid,
} from './contract-cases.ts'
import type { CollectionSpec, Point, QuerySpec, ScoredPoint, VectorStore } from './ports.ts'

export interface StoreUnderTest {
  store: VectorStore
  cleanup?: () => Promise<void>
}

export function point(n: number, dense: number[], sparse: [number, number][], payload = {}): Point {
  return {
    id: uuid(n),
    dense,
    sparse: { indices: sparse.map(([i]) => i), values: sparse.map(([, v]) => v) },
    payload,
  }
}

export function collectionSpec(name: string, extra: Partial<CollectionSpec> = {}): CollectionSpec {
  return { name, dense: { size: 4, distance: 'Cosine' }, sparse: { idf: false }, indexes: [], ...extra }
}

export function querySpec(extra: Partial<QuerySpec>): QuerySpec {
  return {
    mode: 'dense',
    prefetchLimit: 50,
    fusion: { kind: 'rrf', k: 2 },
    limit: 10,
    offset: 0,
    withPayload: true,
    ...extra,
  }
}

export const ids = (points: ScoredPoint[]) => points.map((p) => p.id)
export const sortedIds = (points: ScoredPoint[]) => ids(points).sort()

/** Three points where dense and sparse disagree, so fusion has something to decide. */
export const FUSION_POINTS = [
  point(1, [1, 0, 0, 0], [[10, 0.2]], { doc: 'a' }),
  point(2, [0.8, 0.6, 0, 0], [], { doc: 'b' }),
  point(
    3,
    [0.6, 0.8, 0, 0],
    [
      [10, 0.9],
      [11, 0.5],
    ],
    { doc: 'c' },
  ),
  point(4, [0, 0, 1, 0], [[12, 1]], { doc: 'd' }),
]

export function vectorStoreContract(label: string, open: () => Promise<StoreUnderTest>): void {
  describe(`VectorStore contract: ${label}`, () => {
    let under: StoreUnderTest
    let store: VectorStore
    const created: string[] = []
    const fresh = async (extra: Partial<CollectionSpec> = {}) => {
      const name = `t_${Math.random().toString(36).slice(2, 10)}`
      await store.createCollection(collectionSpec(name, extra))
      created.push(name)
      return name
    }

    beforeEach(async () => {
      under = await open()
      store = under.store
    })
    afterEach(async () => {
      for (const name of created.splice(0)) await store.deleteCollection(name).catch(() => false)
      await store.close()
      await under.cleanup?.()
    })

    describe('collections', () => {
      it('creates, lists with counts, gets and deletes a collection', async () => {
        const name = await fresh({ indexes: [{ field: 'doc', type: 'keyword' }] })
        await store.upsert({ collection: name }, FUSION_POINTS)
        const info = await store.getCollection(name)
        expect(info).toMatchObject({
          name,
          points: 4,
          dense: { size: 4, distance: 'Cosine' },
          sparse: { idf: false },
        })
        expect(info?.indexes).toEqual([{ field: 'doc', type: 'keyword' }])
        const listed = (await store.listCollections()).find((c) => c.name === name)
        expect(listed?.points).toBe(4)
        expect(await store.deleteCollection(name)).toBe(true)
        expect(await store.getCollection(name)).toBeNull()
        expect(await store.deleteCollection(name)).toBe(false)
        expect((await store.listCollections()).some((c) => c.name === name)).toBe(false)
      })

      it('refuses a second collection of the same name', async () => {
        const name = await fresh()
        await expectStoreError(store.createCollection(collectionSpec(name)), 'collection_exists')
      })

      it('answers collection_not_found for every point call on a missing collection', async () => {
        const scope = { collection: 't_missing_collection' }
        await expectStoreError(store.upsert(scope, FUSION_POINTS), 'collection_not_found')
        await expectStoreError(store.query(scope, querySpec({ dense: [1, 0, 0, 0] })), 'collection_not_found')
        await expectStoreError(store.scroll(scope, {}, 10), 'collection_not_found')
        await expectStoreError(store.deleteWhere(scope, {}), 'collection_not_found')
        await expectStoreError(store.replace(scope, {}, FUSION_POINTS), 'collection_not_found')
      })

      it('refuses a dense vector of the wrong size on write and on query (bad_vector), writing nothing', async () => {
        const name = await fresh()
        await expectStoreError(
          store.upsert({ collection: name }, [FUSION_POINTS[0]!, point(9, [1, 0, 0], [])]),
          'bad_vector',
        )
        expect((await store.getCollection(name))?.points).toBe(0)
        await expectStoreError(store.query({ collection: name }, querySpec({ dense: [1, 0] })), 'bad_vector')
      })
    })

    describe('points and queries', () => {
      it('ranks the dense leg by cosine similarity, with payload on or off', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        const hits = await store.query({ collection: name }, querySpec({ dense: [2, 0, 0, 0] }))
        expect(ids(hits)).toEqual([uuid(1), uuid(2), uuid(3), uuid(4)])
        expect(hits.map((h) => h.score)).toEqual([
          expect.closeTo(1, 4),
          expect.closeTo(0.8, 4),
          expect.closeTo(0.6, 4),
          expect.closeTo(0, 4),
        ])
        expect(hits[0]?.payload).toEqual({ doc: 'a' })
        const bare = await store.query(
          { collection: name },
          querySpec({ dense: [1, 0, 0, 0], withPayload: false }),
        )
        expect(bare[0]?.payload).toBeUndefined()
      })

      it('scores Dot collections by the raw dot product', async () => {
        const name = await fresh({ dense: { size: 4, distance: 'Dot' } })
        await store.upsert({ collection: name }, [point(1, [2, 0, 0, 0], []), point(2, [1, 1, 0, 0], [])])
        const hits = await store.query({ collection: name }, querySpec({ dense: [1, 3, 0, 0] }))
        expect(hits.map((h) => [h.id, h.score])).toEqual([
          [uuid(2), expect.closeTo(4, 4)],
          [uuid(1), expect.closeTo(2, 4)],
        ])
      })

      it('ranks the sparse leg by dot product over shared tokens, leaving out points with none', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        const hits = await store.query(
          { collection: name },
          querySpec({ mode: 'sparse', sparse: { indices: [10, 11], values: [1, 2] } }),
        )
        expect(hits.map((h) => [h.id, h.score])).toEqual([
          [uuid(3), expect.closeTo(1.9, 4)],
          [uuid(1), expect.closeTo(0.2, 4)],
        ])
      })

      it('weighs sparse query terms by inverse document frequency when the collection asks for it', async () => {
        const name = await fresh({ sparse: { idf: true } })
        await store.upsert({ collection: name }, [
          point(1, [1, 0, 0, 0], [[1, 1]]),
          point(2, [1, 0, 0, 0], [[2, 0.8]]),
          point(3, [1, 0, 0, 0], [[1, 1]]),
          point(4, [1, 0, 0, 0], [[1, 1]]),
        ])
        const hits = await store.query(
          { collection: name },
          querySpec({ mode: 'sparse', sparse: { indices: [1, 2], values: [1, 1] } }),
        )
        // Qdrant's idf: ln(1 + (N − n + 0.5) / (n + 0.5)); token 2 is in 1 of 4 points, token 1 in 3.
        expect(hits[0]).toMatchObject({
          id: uuid(2),
          score: expect.closeTo(0.8 * Math.log(1 + 3.5 / 1.5), 3),
        })
        expect(hits[1]?.score).toBeCloseTo(Math.log(1 + 1.5 / 3.5), 3)
      })

      it('fuses the legs with RRF at the given k, exactly as the legs rank them', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        const scope = { collection: name }
        const legs = { dense: [1, 0.1, 0, 0], sparse: { indices: [10, 12], values: [1, 0.1] } }
        const dense = await store.query(scope, querySpec({ ...legs, mode: 'dense' }))
        const sparse = await store.query(scope, querySpec({ ...legs, mode: 'sparse' }))
        for (const k of [2, 60]) {
          const fused = await store.query(
            scope,
            querySpec({ ...legs, mode: 'hybrid', fusion: { kind: 'rrf', k } }),
          )
          const expected = expectedRrf([dense, sparse], k)
          expect(ids(fused)).toEqual(expected.map((e) => e.id))
          expect(fused.map((h) => h.score)).toEqual(expected.map((e) => expect.closeTo(e.score, 4)))
        }
      })

      it('fuses the legs with DBSF (each leg normalised by its mean ± 3σ, then summed)', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        const scope = { collection: name }
        const legs = { dense: [1, 0.3, 0, 0], sparse: { indices: [10, 11, 12], values: [1, 1, 0.5] } }
        const dense = await store.query(scope, querySpec({ ...legs, mode: 'dense' }))
        const sparse = await store.query(scope, querySpec({ ...legs, mode: 'sparse' }))
        const fused = await store.query(
          scope,
          querySpec({ ...legs, mode: 'hybrid', fusion: { kind: 'dbsf' } }),
        )
        const expected = expectedDbsf([dense, sparse])
        expect(ids(fused)).toEqual(expected.map((e) => e.id))
        expect(fused.map((h) => h.score)).toEqual(expected.map((e) => expect.closeTo(e.score, 4)))
      })

      it('pages with limit and offset over the fused order', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        const scope = { collection: name }
        const legs = {
          mode: 'hybrid' as const,
          dense: [1, 0.1, 0, 0],
          sparse: { indices: [10], values: [1] },
        }
        const all = await store.query(scope, querySpec(legs))
        expect(all.length).toBe(4)
        const page = await store.query(scope, querySpec({ ...legs, limit: 2, offset: 1 }))
        expect(ids(page)).toEqual(ids(all).slice(1, 3))
        expect(await store.query(scope, querySpec({ ...legs, limit: 2, offset: 4 }))).toEqual([])
      })

      it('overwrites a point upserted again under the same id', async () => {
        const name = await fresh()
        await store.upsert({ collection: name }, FUSION_POINTS)
        await store.upsert({ collection: name }, [point(1, [0, 0, 0, 1], [], { doc: 'a2' })])
        expect((await store.getCollection(name))?.points).toBe(4)
        const hits = await store.query({ collection: name }, querySpec({ dense: [0, 0, 0, 1], limit: 1 }))
        expect(hits[0]).toMatchObject({ id: uuid(1), payload: { doc: 'a2' } })
        const sparse = await store.query(
          { collection: name },
          querySpec({ mode: 'sparse', sparse: { indices: [10], values: [1] } }),
        )
        expect(ids(sparse)).toEqual([uuid(3)])
      })

      it('answers an empty collection with no hits', async () => {
        const name = await fresh()
        const scope = { collection: name }
        expect(
          await store.query(
            scope,
            querySpec({ mode: 'hybrid', dense: [1, 0, 0, 0], sparse: { indices: [1], values: [1] } }),
          ),
        ).toEqual([])
      })
    })

    describe('filters (applied inside every leg)', () => {
      for (const c of filterCases) {
        it(`${c.name}`, async () => {
          const name = await fresh({ indexes: [{ field: 'doc', type: 'keyword' }] })
          const scope = { collection: name }
          await store.upsert(scope, c.points)
          expect(sortedIds(await store.scroll(scope, c.filter, 100))).toEqual(c.expected)
          const dense = await store.query(scope, querySpec({ dense: [1, 0, 0, 0], filter: c.filter }))
          expect(sortedIds(dense)).toEqual(c.expected)
          const hybrid = await store.query(
            scope,
            querySpec({
              mode: 'hybrid',
              dense: [1, 0, 0, 0],
              sparse: { indices: [1], values: [1] },
              filter: c.filter,
            }),
          )
          expect(sortedIds(hybrid)).toEqual(c.expected)
        })
      }
    })

    describe('writes', () => {
      it('deleteWhere removes what the filter matches, visible to the next call, and says how many', async () => {
        const name = await fresh()
        const scope = { collection: name }
        await store.upsert(scope, FUSION_POINTS)
        expect(await store.deleteWhere(scope, { must: [{ key: 'doc', match: { any: ['a', 'c'] } }] })).toBe(2)
        expect(sortedIds(await store.scroll(scope, {}, 100))).toEqual([uuid(2), uuid(4)])
        expect(
          ids(
            await store.query(scope, querySpec({ mode: 'sparse', sparse: { indices: [10], values: [1] } })),
          ),
        ).toEqual([])
        expect((await store.getCollection(name))?.points).toBe(2)
      })

      it('replace swaps the matched points for the new ones in one step', async () => {
        const name = await fresh()
        const scope = { collection: name }
        await store.upsert(scope, FUSION_POINTS)
        const changed = [
          point(20, [0, 1, 0, 0], [[30, 1]], { doc: 'a' }),
          point(21, [0, 1, 0, 0], [], { doc: 'a' }),
        ]
        await store.replace(scope, { must: [{ key: 'doc', match: { value: 'a' } }] }, changed)
        const rows = await store.scroll(scope, { must: [{ key: 'doc', match: { value: 'a' } }] }, 100)
        expect(sortedIds(rows)).toEqual([uuid(20), uuid(21)])
        expect((await store.getCollection(name))?.points).toBe(5)
      })

      it('replace that fails part-way leaves the old points as they were', async () => {
        const name = await fresh()
        const scope = { collection: name }
        await store.upsert(scope, FUSION_POINTS)
        const broken = [point(20, [0, 1, 0, 0], [], { doc: 'a' }), point(21, [0, 1], [], { doc: 'a' })]
        await expectStoreError(
          store.replace(scope, { must: [{ key: 'doc', match: { value: 'a' } }] }, broken),
          'bad_vector',
        )
        expect(sortedIds(await store.scroll(scope, {}, 100))).toEqual([uuid(1), uuid(2), uuid(3), uuid(4)])
      })

      it('scroll returns ids and payload of matching points, at most limit of them', async () => {
        const name = await fresh()
        const scope = { collection: name }
        await store.upsert(scope, FUSION_POINTS)
        const rows = await store.scroll(scope, { must: [{ key: 'doc', match: { value: 'b' } }] }, 10)
        expect(rows).toEqual([expect.objectContaining({ id: uuid(2), payload: { doc: 'b' } })])
        expect((await store.scroll(scope, {}, 3)).length).toBe(3)
      })
    })

    describe('tenants', () => {
      for (const c of tenantCases) {
        it(c.name, async () => {
          const name = await fresh({ tenantField: 'tenant', indexes: [{ field: 'tenant', type: 'keyword' }] })
          await c.run(store, name)
        })
      }
    })
  })
}
