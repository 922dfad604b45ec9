/**
 * The subset of Qdrant's REST shapes the double serves, written from Qdrant's OpenAPI document
 * (`docs/redoc/master/openapi.json` in qdrant/qdrant: components `CreateCollection`, `VectorParams`,
 * `SparseVectorParams`, `CreateFieldIndex`, `PointInsertOperations`, `PointsSelector`,
 * `UpdateOperations`, `ScrollRequest`, `CountRequest`, `QueryRequest`, `Prefetch`, `Filter`,
 * `FieldCondition`, and the responses `CollectionInfo`, `UpdateResult`, `ScrollResult`,
 * `CountResult`, `QueryResponse`, `ErrorResponse`). The double parses requests with them, and
 * tests/qdrant/double-shapes.test.ts checks the double's answers against the response schemas.
 * Fields the adapter never sends are left out (the README lists them).
 */
import { z } from 'zod'

// ── shared pieces ──────────────────────────────────────────────────────────────────────────────
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/
/** `ExtendedPointId`: an unsigned integer or a UUID. */
export const ExtendedPointId = z.union([z.number().int().nonnegative(), z.string().regex(UUID)])
export type ExtendedPointId = z.infer<typeof ExtendedPointId>

export const Distance = z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan'])
export const VectorParams = z.object({ size: z.number().int().min(1), distance: Distance })
export const SparseVectorParams = z.object({ modifier: z.enum(['none', 'idf']).nullish() })
export const SparseVector = z
  .object({ indices: z.array(z.number().int().nonnegative()), values: z.array(z.number()) })
  .refine((v) => v.indices.length === v.values.length, 'indices and values must have the same length')
  .refine((v) => new Set(v.indices).size === v.indices.length, 'indices must be unique')
export type SparseVector = z.infer<typeof SparseVector>

// ── filters ────────────────────────────────────────────────────────────────────────────────────
const MatchValue = z.object({ value: z.union([z.string(), z.number().int(), z.boolean()]) })
const MatchAny = z.object({ any: z.union([z.array(z.string()), z.array(z.number().int())]) })
const MatchExcept = z.object({ except: z.union([z.array(z.string()), z.array(z.number().int())]) })
export const Range = z.object({
  lt: z.number().nullish(),
  gt: z.number().nullish(),
  gte: z.number().nullish(),
  lte: z.number().nullish(),
})
export const FieldCondition = z.object({
  key: z.string(),
  match: z.union([MatchValue, MatchAny, MatchExcept]).nullish(),
  range: Range.nullish(),
  is_empty: z.boolean().nullish(),
  is_null: z.boolean().nullish(),
})
export const IsEmptyCondition = z.object({ is_empty: z.object({ key: z.string() }) })
export const IsNullCondition = z.object({ is_null: z.object({ key: z.string() }) })
export const HasIdCondition = z.object({ has_id: z.array(ExtendedPointId) })

export interface Filter {
  must?: Condition | Condition[] | null
  should?: Condition | Condition[] | null
  must_not?: Condition | Condition[] | null
  min_should?: { conditions: Condition[]; min_count: number } | null
}
export type Condition =
  | z.infer<typeof FieldCondition>
  | z.infer<typeof IsEmptyCondition>
  | z.infer<typeof IsNullCondition>
  | z.infer<typeof HasIdCondition>
  | Filter

const Conditions = z.lazy(() => z.union([Condition, z.array(Condition)]).nullish())
export const Filter: z.ZodType<Filter> = z.lazy(() =>
  z.strictObject({
    must: Conditions,
    should: Conditions,
    must_not: Conditions,
    min_should: z
      .object({ conditions: z.array(Condition), min_count: z.number().int().nonnegative() })
      .nullish(),
  }),
)
// Order matters: a field condition has `key`; a filter has none of the others' keys.
export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([FieldCondition, IsEmptyCondition, IsNullCondition, HasIdCondition, Filter]),
)

// ── requests ───────────────────────────────────────────────────────────────────────────────────
export const CreateCollection = z.object({
  vectors: z.union([VectorParams, z.record(z.string(), VectorParams)]).optional(),
  sparse_vectors: z.record(z.string(), SparseVectorParams).nullish(),
  on_disk_payload: z.boolean().nullish(),
})

const KeywordIndexParams = z.object({ type: z.literal('keyword'), is_tenant: z.boolean().nullish() })
const OtherIndexParams = z.object({ type: z.enum(['integer', 'float', 'bool', 'datetime', 'text', 'uuid']) })
export const PayloadSchemaType = z.enum([
  'keyword',
  'integer',
  'float',
  'geo',
  'text',
  'bool',
  'datetime',
  'uuid',
])
export const PayloadSchemaParams = z.union([KeywordIndexParams, OtherIndexParams])
export const CreateFieldIndex = z.object({
  field_name: z.string().min(1),
  field_schema: z.union([PayloadSchemaType, PayloadSchemaParams]).nullish(),
})

/** `VectorStruct`: one unnamed dense vector, or named dense and sparse vectors. */
export const VectorStruct = z.union([
  z.array(z.number()),
  z.record(z.string(), z.union([z.array(z.number()), SparseVector])),
])
export const PointStruct = z.object({
  id: ExtendedPointId,
  vector: VectorStruct,
  payload: z.record(z.string(), z.unknown()).nullish(),
})
export type PointStruct = z.infer<typeof PointStruct>
export const PointsList = z.object({ points: z.array(PointStruct) })
export const PointsSelector = z.union([
  z.object({ points: z.array(ExtendedPointId) }),
  z.object({ filter: Filter }),
])
export const UpdateOperation = z.union([
  z.object({ upsert: PointsList }),
  z.object({ delete: PointsSelector }),
])
export const UpdateOperations = z.object({ operations: z.array(UpdateOperation) })

export const WithPayload = z.union([z.boolean(), z.array(z.string())])
export const ScrollRequest = z.object({
  offset: ExtendedPointId.nullish(),
  limit: z.number().int().min(1).nullish(),
  filter: Filter.nullish(),
  with_payload: WithPayload.nullish(),
  with_vector: z.boolean().nullish(),
})
export const CountRequest = z.object({ filter: Filter.nullish(), exact: z.boolean().optional() })

const Rrf = z.object({ k: z.number().int().min(1).nullish(), weights: z.array(z.number()).nullish() })
export const QueryInterface = z.union([
  z.array(z.number()),
  SparseVector,
  z.object({ nearest: z.union([z.array(z.number()), SparseVector]) }),
  z.object({ fusion: z.enum(['rrf', 'dbsf']) }),
  z.object({ rrf: Rrf }),
])
export type QueryInterface = z.infer<typeof QueryInterface>
export interface Prefetch {
  prefetch?: Prefetch | Prefetch[] | null
  query?: QueryInterface | null
  using?: string | null
  filter?: Filter | null
  limit?: number | null
  score_threshold?: number | null
}
export const Prefetch: z.ZodType<Prefetch> = z.lazy(() =>
  z.object({
    prefetch: z.union([Prefetch, z.array(Prefetch)]).nullish(),
    query: QueryInterface.nullish(),
    using: z.string().nullish(),
    filter: Filter.nullish(),
    limit: z.number().int().min(1).nullish(),
    score_threshold: z.number().nullish(),
  }),
)
export const QueryRequest = z.object({
  prefetch: z.union([Prefetch, z.array(Prefetch)]).nullish(),
  query: QueryInterface.nullish(),
  using: z.string().nullish(),
  filter: Filter.nullish(),
  score_threshold: z.number().nullish(),
  limit: z.number().int().min(1).nullish(),
  offset: z.number().int().nonnegative().nullish(),
  with_payload: WithPayload.nullish(),
  with_vector: z.boolean().nullish(),
})
export type QueryRequest = z.infer<typeof QueryRequest>

// ── responses ──────────────────────────────────────────────────────────────────────────────────
const envelope = <T extends z.ZodType>(result: T) =>
  z.object({ result, status: z.literal('ok'), time: z.number() })

export const ErrorResponse = z.object({
  time: z.number(),
  status: z.object({ error: z.string() }),
  result: z.null().optional(),
})
export const VersionInfo = z.object({ title: z.string(), version: z.string(), commit: z.string().nullish() })
export const UpdateResult = z.object({
  operation_id: z.number().int().nonnegative().nullish(),
  status: z.enum(['acknowledged', 'completed', 'wait_timeout']),
})
const PayloadIndexInfo = z.object({
  data_type: PayloadSchemaType,
  params: PayloadSchemaParams.nullish(),
  points: z.number().int().nonnegative(),
})
export const CollectionInfo = z.object({
  status: z.enum(['green', 'yellow', 'grey', 'red']),
  optimizer_status: z.union([z.literal('ok'), z.object({ error: z.string() })]),
  indexed_vectors_count: z.number().int().nonnegative().nullish(),
  points_count: z.number().int().nonnegative().nullish(),
  segments_count: z.number().int().nonnegative(),
  config: z.object({
    params: z.object({
      vectors: z.union([VectorParams, z.record(z.string(), VectorParams)]).optional(),
      shard_number: z.number().int().min(1).optional(),
      replication_factor: z.number().int().min(1).optional(),
      write_consistency_factor: z.number().int().min(1).optional(),
      on_disk_payload: z.boolean().optional(),
      sparse_vectors: z.record(z.string(), SparseVectorParams).nullish(),
    }),
    hnsw_config: z.object({ m: z.number(), ef_construct: z.number(), full_scan_threshold: z.number() }),
    optimizer_config: z.object({ default_segment_number: z.number(), flush_interval_sec: z.number() }),
  }),
  payload_schema: z.record(z.string(), PayloadIndexInfo),
})
const Payload = z.record(z.string(), z.unknown())
const Record_ = z.object({ id: ExtendedPointId, payload: Payload.nullish(), vector: z.unknown().optional() })
const ScoredPoint = z.object({
  id: ExtendedPointId,
  version: z.number().int().nonnegative(),
  score: z.number(),
  payload: Payload.nullish(),
  vector: z.unknown().optional(),
})

export const responses = {
  root: VersionInfo,
  error: ErrorResponse,
  collections: envelope(z.object({ collections: z.array(z.object({ name: z.string() })) })),
  collectionInfo: envelope(CollectionInfo),
  bool: envelope(z.boolean()),
  update: envelope(UpdateResult),
  batch: envelope(z.array(UpdateResult)),
  scroll: envelope(z.object({ points: z.array(Record_), next_page_offset: ExtendedPointId.nullish() })),
  count: envelope(z.object({ count: z.number().int().nonnegative() })),
  query: envelope(z.object({ points: z.array(ScoredPoint) })),
}
