/**
 * The Qdrant shapes of the store's types: a collection's vectors and payload indexes, a point, a
 * tenant-scoped filter, and the Query API body of a hybrid, dense or sparse query.
 */
import type { Schemas } from '@qdrant/js-client-rest'
import {
  type CollectionSpec,
  type Condition,
  type Distance,
  type Filter,
  type PayloadFieldType,
  type Point,
  type QuerySpec,
  StoreError,
} from '../domain/store/ports.ts'

export const DENSE = 'dense'
export const SPARSE = 'sparse'

export function createBody(spec: CollectionSpec): Schemas['CreateCollection'] {
  return {
    vectors: { [DENSE]: { size: spec.dense.size, distance: spec.dense.distance } },
    // bge-m3's sparse weights are already learned term weights: idf only when the collection asks.
    sparse_vectors: { [SPARSE]: spec.sparse.idf ? { modifier: 'idf' } : {} },
  }
}

/** The payload indexes to create, tenant field first (keyword, `is_tenant`: Qdrant co-locates a tenant's points). */
export function indexBodies(
  spec: CollectionSpec,
): { field_name: string; field_schema: Schemas['PayloadFieldSchema'] }[] {
  const out: { field_name: string; field_schema: Schemas['PayloadFieldSchema'] }[] = []
  if (spec.tenantField)
    out.push({ field_name: spec.tenantField, field_schema: { type: 'keyword', is_tenant: true } })
  for (const { field, type } of spec.indexes) {
    if (field !== spec.tenantField && !out.some((o) => o.field_name === field))
      out.push({ field_name: field, field_schema: type })
  }
  return out
}

const FIELD_TYPES = new Set<string>(['keyword', 'integer', 'float', 'bool', 'datetime', 'text'])

/** A collection's spec read back from `GET /collections/{name}` (vectors, sparse modifier, payload indexes). */
export function specFromInfo(name: string, info: Schemas['CollectionInfo']): CollectionSpec {
  const vectors = info.config.params.vectors as
    | Record<string, { size: number; distance: string }>
    | { size: number; distance: string }
    | undefined
  const dense = vectors && 'size' in vectors ? vectors : (vectors?.[DENSE] ?? Object.values(vectors ?? {})[0])
  const sparse = info.config.params.sparse_vectors?.[SPARSE]
  const schema = info.payload_schema as Record<
    string,
    { data_type: string; params?: { is_tenant?: boolean | null } | null }
  >
  const fields = Object.entries(schema).sort(([a], [b]) => (a < b ? -1 : 1))
  const tenantField = fields.find(([, i]) => i.params?.is_tenant === true)?.[0]
  return {
    name,
    dense: { size: Number(dense?.size ?? 0), distance: (dense?.distance ?? 'Cosine') as Distance },
    sparse: { idf: sparse?.modifier === 'idf' },
    indexes: fields
      .filter(([, i]) => FIELD_TYPES.has(i.data_type))
      .map(([field, i]) => ({ field, type: i.data_type as PayloadFieldType })),
    ...(tenantField ? { tenantField } : {}),
  }
}

export function pointBody(p: Point): Schemas['PointStruct'] {
  return { id: p.id, vector: { [DENSE]: p.dense, [SPARSE]: p.sparse }, payload: p.payload }
}

/** Refuses vectors the collection cannot hold before anything is sent, so a bad batch writes nothing. */
export function checkVectors(
  spec: CollectionSpec,
  dense: number[] | undefined,
  sparse: Point['sparse'] | undefined,
) {
  if (dense && dense.length !== spec.dense.size)
    throw new StoreError(
      'bad_vector',
      `Dense vector has ${dense.length} dimensions; the collection holds ${spec.dense.size}.`,
    )
  if (dense?.some((x) => !Number.isFinite(x)))
    throw new StoreError('bad_vector', 'Dense vector holds a non-finite value.')
  if (sparse && sparse.indices.length !== sparse.values.length)
    throw new StoreError('bad_vector', 'Sparse vector has different numbers of indices and values.')
}

export const tenantCondition = (field: string, tenant: string): Condition => ({
  key: field,
  match: { value: tenant },
})

/** The caller's filter, held inside the tenant's condition when the collection has a tenant field. */
export function scoped(
  filter: Filter | undefined,
  tenantField: string | undefined,
  tenant: string | undefined,
) {
  const own = filter && Object.keys(filter).length > 0 ? filter : undefined
  if (!tenantField || tenant === undefined) return own as Schemas['Filter'] | undefined
  const must: Condition[] = [tenantCondition(tenantField, tenant)]
  if (own) must.push(own)
  return { must } as Schemas['Filter']
}

export type QueryBody = Schemas['QueryRequest']

/** The Query API body; `fusionQuery` is null when the fusion is done on our side (see qdrant-store.ts). */
export function queryBody(
  spec: QuerySpec,
  filter: Schemas['Filter'] | undefined,
  fetch: number,
  fusionQuery: Schemas['QueryInterface'] | null,
): QueryBody {
  const common = { filter, limit: fetch, offset: 0, with_payload: spec.withPayload, with_vector: false }
  if (spec.mode === 'dense') return { ...common, query: spec.dense!, using: DENSE }
  if (spec.mode === 'sparse') return { ...common, query: spec.sparse!, using: SPARSE }
  const prefetchLimit = Math.max(spec.prefetchLimit, fetch)
  return {
    ...common,
    prefetch: [
      { query: spec.dense!, using: DENSE, filter, limit: prefetchLimit },
      { query: spec.sparse!, using: SPARSE, filter, limit: prefetchLimit },
    ],
    query: fusionQuery ?? undefined,
  }
}

export function fusionQuery(spec: QuerySpec, parametrisedRrf: boolean): Schemas['QueryInterface'] | null {
  if (spec.fusion.kind === 'dbsf') return { fusion: 'dbsf' }
  if (spec.fusion.k === QDRANT_DEFAULT_RRF_K) return { fusion: 'rrf' }
  return parametrisedRrf ? ({ rrf: { k: spec.fusion.k } } as Schemas['QueryInterface']) : null
}

/** Qdrant's RRF constant when none is given: a point at position p (from 0) of a leg scores 1 / (2 + p). */
export const QDRANT_DEFAULT_RRF_K = 2
