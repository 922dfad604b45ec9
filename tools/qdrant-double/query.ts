/**
 * `POST /collections/{name}/points/query` (Qdrant's Query API), the subset the adapter uses:
 * nearest search on a named dense or sparse vector, and prefetches fused with RRF or DBSF. The
 * query's top-level filter also applies inside every prefetch, as in Qdrant.
 */
import {
  type Collection,
  DoubleError,
  idKey,
  matching,
  outputId,
  payloadOut,
  wrongInput,
} from './collections.ts'
import { bothFilters } from './filter.ts'
import type { Filter, Prefetch, QueryInterface, QueryRequest, SparseVector } from './schemas.ts'
import {
  dbsf,
  denseScore,
  type Hit,
  idfWeight,
  normalise,
  ranked,
  rrf,
  smallerIsBetter,
  sparseScore,
} from './search.ts'

const DEFAULT_LIMIT = 10
const DEFAULT_RRF_K = 2

export interface QueryOptions {
  /** Whether `{rrf: {k}}` is understood (Qdrant ≥ 1.16); older servers refuse it as a format error. */
  parametrisedRrf: boolean
}

function nearest(
  c: Collection,
  vector: number[] | SparseVector,
  using: string,
  filter: Filter | undefined,
  limit: number,
) {
  const candidates = matching(c, filter)
  const dense = c.dense.get(using)
  if (dense) {
    if (!Array.isArray(vector)) throw wrongInput('Conversion between sparse and regular vectors failed')
    if (vector.length !== dense.size)
      throw wrongInput(`Vector dimension error: expected dim: ${dense.size}, got ${vector.length}`)
    const q = dense.distance === 'Cosine' ? normalise(vector) : vector
    const hits = candidates.flatMap((p) => {
      const v = p.dense.get(using)
      return v ? [{ key: p.key, score: denseScore(dense.distance, q, v) }] : []
    })
    return {
      hits: ranked(hits, smallerIsBetter(dense.distance)).slice(0, limit),
      ascending: smallerIsBetter(dense.distance),
    }
  }
  const sparse = c.sparse.get(using)
  if (!sparse) throw wrongInput(`Not existing vector name error: ${using}`)
  if (Array.isArray(vector)) throw wrongInput('Conversion between sparse and regular vectors failed')
  const weight = idfWeights(c, using, vector, sparse.modifier === 'idf')
  const hits = candidates.flatMap((p) => {
    const v = p.sparse.get(using)
    const score = v ? sparseScore(vector, v, weight) : null
    return score === null ? [] : [{ key: p.key, score }]
  })
  return { hits: ranked(hits).slice(0, limit), ascending: false }
}

function idfWeights(
  c: Collection,
  using: string,
  query: SparseVector,
  on: boolean,
): (index: number) => number {
  if (!on) return () => 1
  const withVector = [...c.points.values()].filter((p) => p.sparse.has(using))
  const counts = new Map(query.indices.map((i) => [i, 0]))
  for (const p of withVector)
    for (const i of p.sparse.get(using)!.indices) if (counts.has(i)) counts.set(i, counts.get(i)! + 1)
  return (i) => idfWeight(withVector.length, counts.get(i) ?? 0)
}

const asList = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v])

function run(
  c: Collection,
  node: Prefetch,
  inherited: Filter | undefined,
  limit: number,
  options: QueryOptions,
): { hits: Hit[]; ascending: boolean } {
  const filter = bothFilters(inherited, node.filter)
  const prefetches = asList(node.prefetch)
  const query = node.query as QueryInterface | null | undefined
  if (prefetches.length > 0) {
    const legs = prefetches.map((p) => run(c, p, filter, p.limit ?? DEFAULT_LIMIT, options).hits)
    if (query && 'fusion' in query)
      return {
        hits: (query.fusion === 'rrf' ? rrf(legs, DEFAULT_RRF_K) : dbsf(legs)).slice(0, limit),
        ascending: false,
      }
    if (query && 'rrf' in query) {
      if (!options.parametrisedRrf)
        throw new DoubleError(
          400,
          'Format error in JSON body: data did not match any variant of untagged enum QueryInterface',
        )
      return { hits: rrf(legs, query.rrf.k ?? DEFAULT_RRF_K).slice(0, limit), ascending: false }
    }
    throw new DoubleError(400, 'The Qdrant double fuses prefetches only (rescoring is not implemented)')
  }
  if (!query)
    throw new DoubleError(400, 'The Qdrant double needs a query (ordering by id is not implemented)')
  if ('fusion' in query || 'rrf' in query) throw wrongInput('Fusion queries need prefetches')
  const vector = 'nearest' in query ? query.nearest : query
  return nearest(c, vector, node.using ?? '', filter, limit)
}

export function queryPoints(c: Collection, request: QueryRequest, options: QueryOptions) {
  const offset = request.offset ?? 0
  const limit = request.limit ?? DEFAULT_LIMIT
  const { hits, ascending } = run(c, request as Prefetch, undefined, offset + limit, options)
  const threshold = request.score_threshold
  const kept =
    threshold == null ? hits : hits.filter((h) => (ascending ? h.score <= threshold : h.score >= threshold))
  return {
    points: kept.slice(offset, offset + limit).map((h) => {
      const p = c.points.get(h.key)!
      const payload = payloadOut(p, request.with_payload)
      return {
        id: outputId(idKey(p.id)),
        version: p.version,
        score: h.score,
        ...(payload ? { payload } : {}),
      }
    }),
  }
}
