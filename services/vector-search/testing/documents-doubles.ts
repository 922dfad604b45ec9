/**
 * Stand-ins for the documents tests: an in-memory VectorStore (the filter subset of the store port,
 * tenant scoping as the stores do it), a wrapper that counts writes, and an embedder that counts
 * calls and can be told to fail.
 */
import type { Embedder, Embeddings } from '../domain/embed/ports.ts'
import { EmbedderError } from '../domain/embed/ports.ts'
import type {
  CollectionInfo,
  CollectionSpec,
  Condition,
  Filter,
  Point,
  Scope,
  ScoredPoint,
  VectorStore,
} from '../domain/store/ports.ts'
import { StoreError } from '../domain/store/ports.ts'

type Payload = Record<string, unknown>

function matches(point: Point, filter: Filter): boolean {
  const all = (filter.must ?? []).every((c) => holds(point, c))
  const any = !filter.should?.length || filter.should.some((c) => holds(point, c))
  const none = !(filter.must_not ?? []).some((c) => holds(point, c))
  return all && any && none
}

function holds(point: Point, condition: Condition): boolean {
  if ('has_id' in condition) return condition.has_id.includes(point.id)
  if (!('key' in condition)) return matches(point, condition)
  const value = (point.payload as Payload)[condition.key]
  const values = Array.isArray(value) ? value : [value]
  if ('match' in condition) {
    const m = condition.match
    if ('value' in m) return values.includes(m.value)
    if ('any' in m) return values.some((v) => m.any.includes(v as string))
    return !values.some((v) => m.except.includes(v as string))
  }
  if ('range' in condition) {
    const r = condition.range
    return values.some(
      (v) =>
        typeof v === 'number' &&
        (r.gt === undefined || v > r.gt) &&
        (r.gte === undefined || v >= r.gte) &&
        (r.lt === undefined || v < r.lt) &&
        (r.lte === undefined || v <= r.lte),
    )
  }
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0)
}

export function createMemoryStore(): VectorStore & { points(collection: string): Point[] } {
  const collections = new Map<string, { spec: CollectionSpec; points: Map<string, Point> }>()
  const open = (scope: Scope) => {
    const c = collections.get(scope.collection)
    if (!c) throw new StoreError('collection_not_found', `no collection ${scope.collection}`)
    if (c.spec.tenantField && scope.tenant === undefined)
      throw new StoreError('tenant_required', 'this collection needs a tenant')
    return c
  }
  const scoped = (scope: Scope, spec: CollectionSpec, filter: Filter): Filter =>
    spec.tenantField && scope.tenant !== undefined
      ? { must: [filter, { key: spec.tenantField, match: { value: scope.tenant } }] }
      : filter
  const stamp = (scope: Scope, spec: CollectionSpec, p: Point): Point => ({
    ...structuredClone(p),
    payload: spec.tenantField
      ? { ...p.payload, [spec.tenantField]: scope.tenant }
      : structuredClone(p.payload),
  })
  const info = (spec: CollectionSpec, points: Map<string, Point>, tenant?: string): CollectionInfo => ({
    ...spec,
    points: [...points.values()].filter(
      (p) => !spec.tenantField || tenant === undefined || p.payload[spec.tenantField] === tenant,
    ).length,
  })
  const removeWhere = (scope: Scope, filter: Filter) => {
    const c = open(scope)
    const f = scoped(scope, c.spec, filter)
    let n = 0
    for (const [id, p] of c.points) if (matches(p, f) && c.points.delete(id)) n++
    return n
  }
  return {
    kind: 'embedded',
    points: (name) => [...(collections.get(name)?.points.values() ?? [])],
    async createCollection(spec) {
      if (collections.has(spec.name)) throw new StoreError('collection_exists', 'exists')
      collections.set(spec.name, { spec, points: new Map() })
    },
    async listCollections(tenant) {
      return [...collections.values()].map((c) => info(c.spec, c.points, tenant))
    },
    async getCollection(name, tenant) {
      const c = collections.get(name)
      return c ? info(c.spec, c.points, tenant) : null
    },
    async deleteCollection(name) {
      return collections.delete(name)
    },
    async upsert(scope, points) {
      const c = open(scope)
      for (const p of points) c.points.set(p.id, stamp(scope, c.spec, p))
    },
    async replace(scope, remove, points) {
      const c = open(scope)
      removeWhere(scope, remove)
      for (const p of points) c.points.set(p.id, stamp(scope, c.spec, p))
    },
    async deleteWhere(scope, filter) {
      return removeWhere(scope, filter)
    },
    async scroll(scope, filter, limit) {
      const c = open(scope)
      const f = scoped(scope, c.spec, filter)
      return [...c.points.values()]
        .filter((p) => matches(p, f))
        .slice(0, limit)
        .map((p): ScoredPoint => ({ id: p.id, score: 1, payload: structuredClone(p.payload) }))
    },
    async query() {
      return []
    },
    async close() {},
  }
}

export interface WriteCounts {
  upserts: number
  replaces: number
  deletes: number
  pointsWritten: number
}

/** The store with every write counted, and made to fail after some writes. */
export function countingStore(inner: VectorStore) {
  const counts: WriteCounts = { upserts: 0, replaces: 0, deletes: 0, pointsWritten: 0 }
  // Writes (upserts and replaces) past this many fail as a store that went down.
  const control = { failWritesAfter: Number.POSITIVE_INFINITY }
  const failing = () => counts.upserts + counts.replaces >= control.failWritesAfter
  const store: VectorStore = {
    kind: inner.kind,
    createCollection: (...a) => inner.createCollection(...a),
    listCollections: (...a) => inner.listCollections(...a),
    getCollection: (...a) => inner.getCollection(...a),
    deleteCollection: (...a) => inner.deleteCollection(...a),
    scroll: (...a) => inner.scroll(...a),
    query: (...a) => inner.query(...a),
    close: () => inner.close(),
    async upsert(scope, points, signal) {
      if (failing()) throw new StoreError('unavailable', 'store down', 5)
      counts.upserts++
      counts.pointsWritten += points.length
      return inner.upsert(scope, points, signal)
    },
    async replace(scope, remove, points, signal) {
      if (failing()) throw new StoreError('unavailable', 'store down', 5)
      counts.replaces++
      counts.pointsWritten += points.length
      return inner.replace(scope, remove, points, signal)
    },
    async deleteWhere(scope, filter, signal) {
      counts.deletes++
      return inner.deleteWhere(scope, filter, signal)
    },
  }
  const writes = () => counts.upserts + counts.replaces + counts.deletes
  return { store, counts, control, writes }
}

/** A deterministic embedder: dense from the text's characters, sparse from its words; counts calls. */
export function countingEmbedder(dim = 8) {
  const state = {
    calls: 0,
    texts: 0,
    batchSizes: [] as number[],
    down: false,
    /** When set, each call waits for it (a slow server the test releases). */
    gate: null as Promise<void> | null,
  }
  const embedder: Embedder = {
    model: 'BAAI/bge-m3',
    dim,
    async embed(texts, want): Promise<Embeddings> {
      if (state.down) throw new EmbedderError('unavailable', 'embeddings server is not reachable', 7)
      if (state.gate) await state.gate
      state.calls++
      state.texts += texts.length
      state.batchSizes.push(texts.length)
      return {
        dense: want.dense ? texts.map((t) => denseOf(t, dim)) : undefined,
        sparse: want.sparse ? texts.map(sparseOf) : undefined,
      }
    },
  }
  return { embedder, state }
}

function denseOf(text: string, dim: number): number[] {
  const v = new Array<number>(dim).fill(0)
  for (let i = 0; i < text.length; i++) v[i % dim]! += text.charCodeAt(i) / 1000
  const norm = Math.hypot(...v) || 1
  return v.map((x) => x / norm)
}

function sparseOf(text: string) {
  const ids = [
    ...new Set(
      text
        .toLowerCase()
        .split(/\W+/)
        .filter(Boolean)
        .map((w) => w.length * 31 + w.charCodeAt(0)),
    ),
  ]
  ids.sort((a, b) => a - b)
  return { indices: ids, values: ids.map(() => 1) }
}
