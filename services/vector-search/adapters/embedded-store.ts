/**
 * The embedded vector store, used when no Qdrant is configured: one SQLite file (better-sqlite3,
 * WAL, through shared/sqlite.ts: folder 0700, file 0600) holds collections and points; an
 * in-memory index per collection (embedded-store-index.ts) answers queries.
 *
 * Dense leg: Hamming distance over the sign bits of every point finds the nearest candidates
 * (RESCORE_FACTOR × the leg's size, at least MIN_RESCORE), whose float vectors are then read from
 * SQLite and scored exactly — the order and scores are Qdrant's, the candidates an approximation
 * whose recall bench/search-store.ts measures. Sparse leg: exact, from in-memory postings.
 * Filters and the tenant apply inside each leg; fusion is domain/store/fusion.ts.
 *
 * One process owns the file: the index is not shared, so a second writer would not be seen.
 */
import { type Database, openDatabase } from '../../../shared/sqlite.ts'
import { compileFilter, isEmptyFilter } from '../domain/store/filter-eval.ts'
import { fuse, type Leg, type LegHit } from '../domain/store/fusion.ts'
import {
  type CollectionInfo,
  type CollectionSpec,
  type Filter,
  type Point,
  type QuerySpec,
  type Scope,
  type ScoredPoint,
  StoreError,
  type VectorStore,
} from '../domain/store/ports.ts'
import { CollectionIndex, type Eligible } from './embedded-store-index.ts'
import {
  checkDense,
  checkSparse,
  type LoadedRow,
  MIGRATIONS,
  type PreparedPoint,
  preparePoints,
  SQL,
} from './embedded-store-rows.ts'
import { exactScore, f32, signBits, smallerIsBetter, storedDense, u32 } from './embedded-store-vectors.ts'

/** Candidates the coarse search keeps per result the dense leg returns, and their floor. */
export const RESCORE_FACTOR = 4
export const MIN_RESCORE = 256
/** Rows per `IN (json_each(?))` statement when deleting. */
const DELETE_CHUNK = 2000

export interface EmbeddedStoreOptions {
  /** The SQLite file, or ':memory:' for tests. */
  path: string
  rescoreFactor?: number
  minRescore?: number
}

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const db = await openDatabase(options.path, { migrations: MIGRATIONS })
  return new EmbeddedStore(db, options)
}

export class EmbeddedStore implements VectorStore {
  readonly kind = 'embedded' as const
  private readonly indexes = new Map<string, CollectionIndex>()
  private closed = false

  constructor(
    private readonly db: Database,
    private readonly options: EmbeddedStoreOptions,
  ) {
    for (const row of db.all<{ name: string; spec: string }>('SELECT name, spec FROM collections'))
      this.indexes.set(row.name, this.load(JSON.parse(row.spec) as CollectionSpec))
  }

  async createCollection(spec: CollectionSpec, signal?: AbortSignal): Promise<void> {
    this.usable(signal)
    if (this.indexes.has(spec.name))
      throw new StoreError('collection_exists', `collection ${spec.name} exists`)
    if (!Number.isInteger(spec.dense.size) || spec.dense.size < 1 || spec.dense.size > 65_536)
      throw new StoreError('bad_vector', 'dense size must be 1…65536')
    const stored: CollectionSpec = { ...spec, indexes: spec.indexes.map((i) => ({ ...i })) }
    this.db.run('INSERT INTO collections (name, spec) VALUES (?, ?)', [spec.name, JSON.stringify(stored)])
    this.indexes.set(spec.name, new CollectionIndex(stored))
  }

  async listCollections(tenant?: string): Promise<CollectionInfo[]> {
    this.usable()
    return [...this.indexes.values()].map((index) => info(index, tenant))
  }

  async getCollection(name: string, tenant?: string): Promise<CollectionInfo | null> {
    this.usable()
    const index = this.indexes.get(name)
    return index ? info(index, tenant) : null
  }

  async deleteCollection(name: string): Promise<boolean> {
    this.usable()
    if (!this.indexes.has(name)) return false
    this.db.transaction(() => {
      this.db.run('DELETE FROM points WHERE collection = ?', [name])
      this.db.run('DELETE FROM collections WHERE name = ?', [name])
    })
    this.indexes.delete(name)
    return true
  }

  async upsert(scope: Scope, points: Point[], signal?: AbortSignal): Promise<void> {
    this.usable(signal)
    const { index, tenant } = this.scoped(scope)
    this.write(index, [], preparePoints(index, tenant, points))
  }

  async replace(scope: Scope, remove: Filter, points: Point[], signal?: AbortSignal): Promise<void> {
    this.usable(signal)
    const { index, tenant } = this.scoped(scope)
    const prepared = preparePoints(index, tenant, points)
    this.write(index, index.matching(this.eligible(index, tenant, remove)), prepared)
  }

  async deleteWhere(scope: Scope, filter: Filter, signal?: AbortSignal): Promise<number> {
    this.usable(signal)
    const { index, tenant } = this.scoped(scope)
    const slots = index.matching(this.eligible(index, tenant, filter))
    this.write(index, slots, [])
    return slots.length
  }

  async scroll(scope: Scope, filter: Filter, limit: number, signal?: AbortSignal): Promise<ScoredPoint[]> {
    this.usable(signal)
    const { index, tenant } = this.scoped(scope)
    return index
      .matching(this.eligible(index, tenant, filter))
      .map((slot) => ({ id: index.ids[slot]!, score: 0, payload: structuredClone(index.payloads[slot]!) }))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, Math.max(0, limit))
  }

  async query(scope: Scope, spec: QuerySpec, signal?: AbortSignal): Promise<ScoredPoint[]> {
    this.usable(signal)
    const { index, tenant } = this.scoped(scope)
    const distance = index.spec.dense.distance
    const dense =
      spec.mode === 'sparse' ? null : storedDense(checkDense(spec.dense, index.spec.dense.size), distance)
    const sparse = spec.mode === 'dense' ? null : checkSparse(spec.sparse ?? { indices: [], values: [] })
    if (index.tenantCode(tenant) === -1) return []
    const eligible = this.eligible(index, tenant, spec.filter)
    const legSize = spec.mode === 'hybrid' ? spec.prefetchLimit : spec.limit + spec.offset
    const legs: Leg[] = []
    if (dense)
      legs.push({
        hits: this.denseLeg(index, dense, tenant, eligible, legSize),
        smallerIsBetter: smallerIsBetter(distance),
      })
    if (sparse)
      legs.push({
        hits: index.sparseTop(
          { indices: [...sparse.indices], values: [...sparse.values] },
          eligible,
          legSize,
        ),
      })
    const ranked = spec.mode === 'hybrid' ? fuse(legs, spec.fusion) : legs[0]!.hits
    return ranked.slice(spec.offset, spec.offset + spec.limit).map((hit) => ({
      id: hit.id,
      score: hit.score,
      ...(spec.withPayload ? { payload: structuredClone(index.payloads[hit.key]!) } : {}),
    }))
  }

  async close(): Promise<void> {
    this.closed = true
    this.db.close()
  }

  private usable(signal?: AbortSignal): void {
    signal?.throwIfAborted()
    if (this.closed) throw new StoreError('unavailable', 'the embedded store is closed')
  }

  private denseLeg(
    index: CollectionIndex,
    query: Float32Array,
    tenant: string | undefined,
    eligible: Eligible,
    size: number,
  ): LegHit[] {
    const want = Math.max(
      size * (this.options.rescoreFactor ?? RESCORE_FACTOR),
      this.options.minRescore ?? MIN_RESCORE,
    )
    const slots =
      index.liveCount <= want
        ? index.matching(eligible)
        : index.nearestByBits(signBits(query), index.tenantCode(tenant), eligible, want)
    const vectors = new Map<number, Float32Array>()
    const rows = this.db.all<{ rowid: number; dense: Uint8Array }>(SQL.dense, [
      JSON.stringify(slots.map(index.rowidOf)),
    ])
    for (const row of rows) vectors.set(row.rowid, f32(row.dense))
    const distance = index.spec.dense.distance
    const hits = slots.map((slot) => ({
      key: slot,
      id: index.ids[slot]!,
      score: exactScore(distance, query, vectors.get(index.rowidOf(slot))!),
    }))
    const sign = smallerIsBetter(distance) ? -1 : 1
    hits.sort((a, b) => sign * (b.score - a.score) || (a.id < b.id ? -1 : 1))
    return hits.slice(0, size)
  }

  private scoped(scope: Scope): { index: CollectionIndex; tenant: string | undefined } {
    const index = this.indexes.get(scope.collection)
    if (!index) throw new StoreError('collection_not_found', `no collection ${scope.collection}`)
    if (!index.spec.tenantField) return { index, tenant: undefined }
    if (scope.tenant === undefined)
      throw new StoreError('tenant_required', `collection ${scope.collection} needs a tenant`)
    return { index, tenant: scope.tenant }
  }

  private eligible(index: CollectionIndex, tenant: string | undefined, filter: Filter | undefined): Eligible {
    if (!filter || isEmptyFilter(filter)) return index.eligible(index.tenantCode(tenant), null)
    const check = compileFilter(filter)
    const test = (slot: number) => check(index.ids[slot]!, index.payloads[slot]!)
    return index.eligible(index.tenantCode(tenant), test)
  }

  /** Deletes and writes in one transaction; the index changes only once SQLite committed. */
  private write(index: CollectionIndex, removed: number[], prepared: PreparedPoint[]): void {
    const rowids = removed.map(index.rowidOf)
    const written = this.db.transaction(() => {
      for (let i = 0; i < rowids.length; i += DELETE_CHUNK)
        this.db.run(SQL.deleteRows, [JSON.stringify(rowids.slice(i, i + DELETE_CHUNK))])
      return prepared.map((p) => this.db.get<{ rowid: number }>(SQL.upsert, p.params)!.rowid)
    })
    for (const slot of removed) index.remove(slot)
    prepared.forEach((p, i) => void index.add({ ...p.indexed, rowid: written[i]! }))
    if (index.needsCompaction()) this.indexes.set(index.spec.name, this.load(index.spec))
  }

  /** Builds a collection's index from its rows (at open, and to drop dead slots). */
  private load(spec: CollectionSpec): CollectionIndex {
    const index = new CollectionIndex(spec)
    for (const row of this.db.all<LoadedRow>(SQL.load, [spec.name]))
      index.add({
        rowid: row.rowid,
        id: row.id,
        tenant: row.tenant,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        bits: u32(row.bits),
        sparse: { indices: u32(row.si), values: f32(row.sv) },
      })
    return index
  }
}

function info(index: CollectionIndex, tenant: string | undefined): CollectionInfo {
  const spec = structuredClone(index.spec)
  return { ...spec, points: index.count(tenant) }
}
