/**
 * Data for the store contract suite (contract-suite.ts): the filter cases, the tenant scenarios, and
 * reference fusions written straight from Qdrant's definitions — deliberately naive, so a bug in a
 * store's own fusion code cannot hide behind the same bug here.
 */
import { expect } from 'vitest'
import type { Filter, Point, ScoredPoint, VectorStore } from './ports.ts'
import { StoreError } from './ports.ts'

/** Point ids are UUIDs; `uuid(7)` is a readable fixed one. */
export const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

function pt(n: number, payload: Record<string, unknown>, dense = [1, 0.1 * n, 0, 0]): Point {
  return { id: uuid(n), dense, sparse: { indices: [1], values: [n] }, payload }
}

/** RRF as Qdrant computes it: a point at zero-based position `pos` of a leg adds `1 / (k + pos)`. */
export function expectedRrf(legs: ScoredPoint[][], k: number): { id: string; score: number }[] {
  const scores = new Map<string, number>()
  for (const leg of legs)
    for (const [pos, p] of leg.entries()) scores.set(p.id, (scores.get(p.id) ?? 0) + 1 / (k + pos))
  return ordered(scores)
}

/** DBSF as Qdrant computes it: per leg, (score − (μ − 3σ)) / 6σ with the sample σ; one point → 0.5. */
export function expectedDbsf(legs: ScoredPoint[][]): { id: string; score: number }[] {
  const scores = new Map<string, number>()
  for (const leg of legs) {
    const n = leg.length
    const mean = leg.reduce((s, p) => s + p.score, 0) / n
    const sd = n > 1 ? Math.sqrt(leg.reduce((s, p) => s + (p.score - mean) ** 2, 0) / (n - 1)) : 0
    for (const p of leg) {
      const normalised = n === 1 || sd === 0 ? 0.5 : (p.score - (mean - 3 * sd)) / (6 * sd)
      scores.set(p.id, (scores.get(p.id) ?? 0) + normalised)
    }
  }
  return ordered(scores)
}

function ordered(scores: Map<string, number>) {
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
}

const FILTER_POINTS = [
  pt(1, { doc: 'a', n: 1, tags: ['x', 'y'], flag: true, lang: 'en' }),
  pt(2, { doc: 'b', n: 5, tags: ['y'], flag: false, lang: 'de', note: null }),
  pt(3, { doc: 'c', n: 10, tags: [], lang: 'en' }),
  pt(4, { doc: 'd', n: 7.5, flag: true, lang: 'fr', note: 'hi' }),
]

interface FilterCase {
  name: string
  points: Point[]
  filter: Filter
  expected: string[]
}

const filterCase = (name: string, filter: Filter, expected: number[]): FilterCase => ({
  name,
  points: FILTER_POINTS,
  filter,
  expected: expected.map(uuid),
})

export const filterCases: FilterCase[] = [
  filterCase('no condition matches every point', {}, [1, 2, 3, 4]),
  filterCase('match value: keyword', { must: [{ key: 'doc', match: { value: 'a' } }] }, [1]),
  filterCase('match value: integer', { must: [{ key: 'n', match: { value: 5 } }] }, [2]),
  filterCase('match value: bool', { must: [{ key: 'flag', match: { value: true } }] }, [1, 4]),
  filterCase(
    'match value: any element of an array',
    { must: [{ key: 'tags', match: { value: 'y' } }] },
    [1, 2],
  ),
  filterCase('match any', { must: [{ key: 'doc', match: { any: ['a', 'c', 'zz'] } }] }, [1, 3]),
  filterCase('match except', { must: [{ key: 'lang', match: { except: ['en'] } }] }, [2, 4]),
  filterCase('range gte/lt', { must: [{ key: 'n', range: { gte: 5, lt: 10 } }] }, [2, 4]),
  filterCase('range gt/lte', { must: [{ key: 'n', range: { gt: 1, lte: 10 } }] }, [2, 3, 4]),
  filterCase('is_empty: missing or []', { must: [{ key: 'tags', is_empty: true }] }, [3, 4]),
  filterCase('is_empty: missing or null', { must: [{ key: 'note', is_empty: true }] }, [1, 2, 3]),
  filterCase('has_id', { must: [{ has_id: [uuid(1), uuid(3), uuid(99)] }] }, [1, 3]),
  filterCase(
    'should: at least one',
    {
      should: [
        { key: 'doc', match: { value: 'a' } },
        { key: 'n', range: { gte: 10 } },
      ],
    },
    [1, 3],
  ),
  filterCase('must_not', { must_not: [{ key: 'lang', match: { value: 'en' } }] }, [2, 4]),
  filterCase(
    'must holds every condition',
    {
      must: [
        { key: 'lang', match: { value: 'en' } },
        { key: 'flag', match: { value: true } },
      ],
    },
    [1],
  ),
  filterCase(
    'nested must/should/must_not',
    {
      must: [
        {
          should: [
            { key: 'lang', match: { value: 'en' } },
            { key: 'lang', match: { value: 'fr' } },
          ],
        },
      ],
      must_not: [{ key: 'n', range: { gt: 5 } }],
    },
    [1],
  ),
  filterCase('a filter nothing matches', { must: [{ key: 'doc', match: { value: 'none' } }] }, []),
]

export async function expectStoreError(promise: Promise<unknown>, code: StoreError['code']) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(StoreError)
  expect((err as StoreError).code).toBe(code)
}

const HYBRID = {
  mode: 'hybrid' as const,
  dense: [1, 0, 0, 0],
  sparse: { indices: [1], values: [1] },
  prefetchLimit: 50,
  fusion: { kind: 'rrf' as const, k: 2 },
  limit: 10,
  offset: 0,
  withPayload: true,
}

const sorted = (points: ScoredPoint[]) => points.map((p) => p.id).sort()

/** Tenant A owns points 1–3 (docs x, x, y), tenant B owns 4–5 (doc x): the same doc ids on both sides. */
async function seed(store: VectorStore, collection: string) {
  await store.upsert({ collection, tenant: 'A' }, [
    pt(1, { doc: 'x' }),
    pt(2, { doc: 'x' }),
    pt(3, { doc: 'y' }),
  ])
  await store.upsert({ collection, tenant: 'B' }, [pt(4, { doc: 'x' }), pt(5, { doc: 'x' })])
}

interface TenantCase {
  name: string
  run: (store: VectorStore, collection: string) => Promise<void>
}

export const tenantCases: TenantCase[] = [
  {
    name: "never returns another tenant's points, whatever the filter says",
    async run(store, collection) {
      await seed(store, collection)
      const b = { collection, tenant: 'B' }
      for (const mode of ['hybrid', 'dense', 'sparse'] as const)
        expect(sorted(await store.query(b, { ...HYBRID, mode }))).toEqual([uuid(4), uuid(5)])
      expect(sorted(await store.scroll(b, {}, 100))).toEqual([uuid(4), uuid(5)])
      expect(await store.query(b, { ...HYBRID, filter: { must: [{ has_id: [uuid(1)] }] } })).toEqual([])
      const asA = { should: [{ key: 'tenant', match: { value: 'A' } }] }
      expect(await store.query(b, { ...HYBRID, filter: asA })).toEqual([])
      expect(await store.scroll(b, asA, 100)).toEqual([])
    },
  },
  {
    name: 'counts per tenant, and in total without one',
    async run(store, collection) {
      await seed(store, collection)
      expect((await store.getCollection(collection, 'A'))?.points).toBe(3)
      expect((await store.getCollection(collection, 'B'))?.points).toBe(2)
      expect((await store.getCollection(collection, 'C'))?.points).toBe(0)
      expect((await store.getCollection(collection))?.points).toBe(5)
      expect((await store.listCollections('B')).find((c) => c.name === collection)?.points).toBe(2)
    },
  },
  {
    name: "stamps the caller's tenant on every point, over whatever the payload claimed",
    async run(store, collection) {
      await store.upsert({ collection, tenant: 'A' }, [pt(1, { doc: 'x', tenant: 'B' })])
      expect(await store.scroll({ collection, tenant: 'B' }, {}, 10)).toEqual([])
      const [row] = await store.scroll({ collection, tenant: 'A' }, {}, 10)
      expect(row?.payload).toEqual({ doc: 'x', tenant: 'A' })
    },
  },
  {
    name: 'refuses every point call without a tenant (tenant_required)',
    async run(store, collection) {
      const scope = { collection }
      await expectStoreError(store.upsert(scope, [pt(1, {})]), 'tenant_required')
      await expectStoreError(store.query(scope, HYBRID), 'tenant_required')
      await expectStoreError(store.scroll(scope, {}, 10), 'tenant_required')
      await expectStoreError(store.deleteWhere(scope, {}), 'tenant_required')
      await expectStoreError(store.replace(scope, {}, [pt(1, {})]), 'tenant_required')
      expect((await store.getCollection(collection))?.points).toBe(0)
    },
  },
  {
    name: "deleteWhere and replace touch only the caller's points",
    async run(store, collection) {
      await seed(store, collection)
      const a = { collection, tenant: 'A' }
      const b = { collection, tenant: 'B' }
      expect(await store.deleteWhere(b, { must: [{ key: 'doc', match: { value: 'x' } }] })).toBe(2)
      expect(sorted(await store.scroll(a, {}, 100))).toEqual([uuid(1), uuid(2), uuid(3)])
      await store.replace(b, { must: [{ key: 'doc', match: { value: 'y' } }] }, [pt(6, { doc: 'y' })])
      expect(sorted(await store.scroll(a, {}, 100))).toEqual([uuid(1), uuid(2), uuid(3)])
      expect(sorted(await store.scroll(b, {}, 100))).toEqual([uuid(6)])
    },
  },
]
