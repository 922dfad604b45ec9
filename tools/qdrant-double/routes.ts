/**
 * The REST endpoints of the double, each answering with Qdrant's envelope `{result, status: "ok",
 * time}`; failures are `DoubleError`s the server turns into `{status: {error}, time}`.
 */
import type { z } from 'zod'
import {
  type Collection,
  compareKeys,
  DoubleError,
  deletePoints,
  idKey,
  matching,
  notFound,
  outputId,
  payloadOut,
  selectKeys,
  upsertPoints,
  wrongInput,
} from './collections.ts'
import { queryPoints } from './query.ts'
import {
  CountRequest,
  CreateCollection,
  CreateFieldIndex,
  PointsList,
  PointsSelector,
  QueryRequest,
  ScrollRequest,
  UpdateOperations,
  VectorParams,
} from './schemas.ts'

export interface DoubleState {
  collections: Map<string, Collection>
  version: string
}

export interface Call {
  method: string
  /** Path segments after `/collections/{name}`, e.g. `['points', 'query']`. */
  rest: string[]
  name: string
  query: URLSearchParams
  body: unknown
}

const DEFAULT_SCROLL_LIMIT = 10

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return parsed.data
  const first = parsed.error.issues[0]
  throw new DoubleError(
    400,
    `Format error in JSON body: ${first?.path.join('.') || 'body'}: ${first?.message}`,
  )
}

const updated = (call: Call, operationId: number) => ({
  operation_id: operationId,
  status: call.query.get('wait') === 'true' ? 'completed' : 'acknowledged',
})

export function collectionInfo(c: Collection) {
  const vectors = Object.fromEntries(c.dense)
  const sparse = Object.fromEntries(
    [...c.sparse].map(([n, p]) => [n, p.modifier ? { modifier: p.modifier } : {}]),
  )
  const schema = Object.fromEntries(
    [...c.indexes].map(([field, entry]) => [
      field,
      {
        data_type: entry.type,
        ...(entry.params ? { params: entry.params } : {}),
        points: matching(c, { must: [{ key: field, is_empty: false }] }).length,
      },
    ]),
  )
  return {
    status: 'green',
    optimizer_status: 'ok',
    indexed_vectors_count: 0,
    points_count: c.points.size,
    segments_count: 1,
    config: {
      params: {
        vectors: c.dense.has('') && c.dense.size === 1 ? c.dense.get('') : vectors,
        shard_number: 1,
        replication_factor: 1,
        write_consistency_factor: 1,
        on_disk_payload: true,
        ...(c.sparse.size > 0 ? { sparse_vectors: sparse } : {}),
      },
      hnsw_config: {
        m: 16,
        ef_construct: 100,
        full_scan_threshold: 10000,
        max_indexing_threads: 0,
        on_disk: false,
      },
      optimizer_config: {
        deleted_threshold: 0.2,
        vacuum_min_vector_number: 1000,
        default_segment_number: 0,
        max_segment_size: null,
        memmap_threshold: null,
        indexing_threshold: 10000,
        flush_interval_sec: 5,
        max_optimization_threads: null,
      },
      wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
      quantization_config: null,
    },
    payload_schema: schema,
  }
}

function createCollection(state: DoubleState, call: Call) {
  if (state.collections.has(call.name))
    throw new DoubleError(409, `Wrong input: Collection \`${call.name}\` already exists!`)
  const spec = parse(CreateCollection, call.body)
  const single = VectorParams.safeParse(spec.vectors)
  const vectors: Record<string, z.infer<typeof VectorParams>> = single.success
    ? { '': single.data }
    : ((spec.vectors as Record<string, z.infer<typeof VectorParams>> | undefined) ?? {})
  state.collections.set(call.name, {
    name: call.name,
    dense: new Map(Object.entries(vectors).map(([n, p]) => [n, { size: p.size, distance: p.distance }])),
    sparse: new Map(Object.entries(spec.sparse_vectors ?? {}).map(([n, p]) => [n, { modifier: p.modifier }])),
    indexes: new Map(),
    points: new Map(),
    version: 0,
  })
  return true
}

function createIndex(c: Collection, call: Call) {
  const { field_name, field_schema } = parse(CreateFieldIndex, call.body)
  if (!field_schema) throw wrongInput('Payload field schema is required')
  const entry =
    typeof field_schema === 'string'
      ? { type: field_schema }
      : { type: field_schema.type, params: field_schema }
  c.indexes.set(field_name, entry)
  c.version += 1
  return updated(call, c.version)
}

function scroll(c: Collection, call: Call) {
  const req = parse(ScrollRequest, call.body)
  const limit = req.limit ?? DEFAULT_SCROLL_LIMIT
  const start = req.offset == null ? null : idKey(req.offset)
  const rows = matching(c, req.filter)
    .sort((a, b) => compareKeys(a.key, b.key))
    .filter((p) => start === null || compareKeys(p.key, start) >= 0)
  const page = rows.slice(0, limit)
  const next = rows[limit]
  return {
    points: page.map((p) => ({ id: outputId(p.key), payload: payloadOut(p, req.with_payload ?? true) })),
    next_page_offset: next ? outputId(next.key) : null,
  }
}

function batch(c: Collection, call: Call) {
  const { operations } = parse(UpdateOperations, call.body)
  // Applied in order; an operation that fails stops the batch, leaving earlier ones applied (as Qdrant).
  return operations.map((op) =>
    updated(
      call,
      'upsert' in op ? upsertPoints(c, op.upsert.points) : deletePoints(c, selectKeys(c, op.delete)),
    ),
  )
}

type Handler = (c: Collection, call: Call, state: DoubleState) => unknown

const pointRoutes: Record<string, Handler> = {
  'PUT points': (c, call) => updated(call, upsertPoints(c, parse(PointsList, call.body).points)),
  'POST points/delete': (c, call) =>
    updated(call, deletePoints(c, selectKeys(c, parse(PointsSelector, call.body)))),
  'POST points/batch': batch,
  'POST points/scroll': scroll,
  'POST points/count': (c, call) => ({ count: matching(c, parse(CountRequest, call.body).filter).length }),
  'POST points/query': (c, call, state) =>
    queryPoints(c, parse(QueryRequest, call.body), { parametrisedRrf: versionAtLeast(state.version, 1, 16) }),
  'PUT index': createIndex,
  'GET ': (c) => collectionInfo(c),
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split('.').map(Number)
  return maj > major || (maj === major && min >= minor)
}

/** The result of a call under `/collections/{name}`. */
export function collectionRoute(state: DoubleState, call: Call): unknown {
  const route = `${call.method} ${call.rest.join('/')}`
  if (route === 'PUT ') return createCollection(state, call)
  if (route === 'DELETE ') return state.collections.delete(call.name)
  const handler = pointRoutes[route]
  if (!handler)
    throw new DoubleError(
      404,
      `The Qdrant double does not serve ${call.method} /collections/{name}/${call.rest.join('/')}`,
    )
  const c = state.collections.get(call.name)
  if (!c) throw notFound(call.name)
  return handler(c, call, state)
}
