/**
 * The one interface both vector stores implement: Qdrant (`adapters/qdrant-store.ts`, production)
 * and the embedded store (`adapters/embedded-store.ts`, the default when no Qdrant is configured).
 * The routes and the domain see only this, so the two behave the same: the same filters, the same
 * tenant isolation, the same fusion, the same errors. `domain/store/contract-suite.ts` runs one set
 * of tests against every implementation.
 *
 * Semantics follow Qdrant's (the production store), so a user who outgrows the embedded store moves
 * to Qdrant without a change in answers: named vectors `dense` and `sparse`, point ids are UUIDs,
 * payload is a JSON object, filters are Qdrant's filter tree (the subset below).
 */

/** A sparse vector: token ids (ascending, unique) and their weights. */
export interface SparseVector {
  indices: number[]
  values: number[]
}

export type Distance = 'Cosine' | 'Dot' | 'Euclid'

export type PayloadFieldType = 'keyword' | 'integer' | 'float' | 'bool' | 'datetime' | 'text'

export interface CollectionSpec {
  name: string
  dense: { size: number; distance: Distance }
  /** The sparse leg; `idf` makes the store weigh query terms by inverse document frequency (off for bge-m3). */
  sparse: { idf: boolean }
  /** Payload fields to index for filtering (created before any point is written). */
  indexes: { field: string; type: PayloadFieldType }[]
  /** The payload field that holds the tenant; when set every call must name one tenant. */
  tenantField?: string
}

export interface CollectionInfo extends CollectionSpec {
  points: number
}

/** One stored chunk. `id` is a UUID (stable: see domain/documents/ids.ts). */
export interface Point {
  id: string
  dense: number[]
  sparse: SparseVector
  payload: Record<string, unknown>
}

/** Qdrant's filter tree, the subset both stores implement exactly. */
export interface Filter {
  must?: Condition[]
  should?: Condition[]
  must_not?: Condition[]
}

export type Condition =
  | { key: string; match: { value: string | number | boolean } }
  | { key: string; match: { any: (string | number)[] } }
  | { key: string; match: { except: (string | number)[] } }
  | { key: string; range: { gt?: number; gte?: number; lt?: number; lte?: number } }
  | { key: string; is_empty: true }
  | { has_id: string[] }
  | Filter

export type Fusion = { kind: 'rrf'; k: number } | { kind: 'dbsf' }

export interface QuerySpec {
  /** Which legs run: both fused, or one alone. */
  mode: 'hybrid' | 'dense' | 'sparse'
  dense?: number[]
  sparse?: SparseVector
  /** Applied inside each leg (not after fusion), so a leg's candidates are all eligible. */
  filter?: Filter
  /** Candidates each leg returns before fusion; ≥ limit + offset. */
  prefetchLimit: number
  fusion: Fusion
  limit: number
  offset: number
  withPayload: boolean
}

export interface ScoredPoint {
  id: string
  score: number
  payload?: Record<string, unknown>
}

/** Every call names the tenant when the collection has a tenant field; the store adds it to every filter. */
export interface Scope {
  collection: string
  tenant?: string
}

export interface VectorStore {
  readonly kind: 'qdrant' | 'embedded'
  createCollection(spec: CollectionSpec, signal?: AbortSignal): Promise<void>
  /** Counts are per tenant when `tenant` is given. */
  listCollections(tenant?: string, signal?: AbortSignal): Promise<CollectionInfo[]>
  getCollection(name: string, tenant?: string, signal?: AbortSignal): Promise<CollectionInfo | null>
  deleteCollection(name: string, signal?: AbortSignal): Promise<boolean>
  /** Writes are visible to the next query as soon as the promise resolves (Qdrant: `wait: true`). */
  upsert(scope: Scope, points: Point[], signal?: AbortSignal): Promise<void>
  /** Deletes the points the filter matches and writes the new ones as one step (a changed document). */
  replace(scope: Scope, remove: Filter, points: Point[], signal?: AbortSignal): Promise<void>
  deleteWhere(scope: Scope, filter: Filter, signal?: AbortSignal): Promise<number>
  /** Ids and payload (no vectors) of the points the filter matches, for diffing a re-ingest. */
  scroll(scope: Scope, filter: Filter, limit: number, signal?: AbortSignal): Promise<ScoredPoint[]>
  query(scope: Scope, spec: QuerySpec, signal?: AbortSignal): Promise<ScoredPoint[]>
  close(): Promise<void>
}

/** Store failures the routes map to statuses (shared/errors.ts style); the message never holds payload text. */
export class StoreError extends Error {
  constructor(
    readonly code:
      | 'collection_not_found'
      | 'collection_exists'
      | 'tenant_required'
      | 'bad_vector'
      | 'too_large'
      | 'unavailable'
      | 'timeout'
      | 'failed',
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message)
    this.name = 'StoreError'
  }
}
