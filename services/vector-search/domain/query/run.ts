/**
 * One collection query: the vectors (the caller's own, or the query text embedded here), the
 * store's search (legs filtered inside, then fused), an optional rerank of the top candidates, and
 * the time each stage took.
 */
import type { QueryRequest, QueryResponse } from '../../../../shared/contracts/vector-search.ts'
import { badRequest, notFound, upstreamFailed, upstreamUnavailable } from '../../../../shared/errors.ts'
import type { Embedder, Reranker } from '../embed/ports.ts'
import type { CollectionSpec, Fusion, QuerySpec, Scope, ScoredPoint, VectorStore } from '../store/ports.ts'
import { invalid } from './errors.ts'
import { parseFilter } from './filter.ts'
import type { CollectionSpecs } from './specs.ts'
import { checkDense, checkSparse } from './vectors.ts'

export interface QueryDeps {
  store: VectorStore
  specs: CollectionSpecs
  embedder?: Embedder
  reranker?: Reranker
  now?: () => number
}

/** Each leg fetches this many times the page before fusion unless the caller says otherwise. */
const PREFETCH_FACTOR = 4

export async function runQuery(
  deps: QueryDeps,
  scope: Scope,
  request: QueryRequest,
  signal?: AbortSignal,
): Promise<QueryResponse> {
  const now = deps.now ?? (() => performance.now())
  const start = now()
  const spec = await deps.specs.get(scope.collection, signal)
  if (!spec) throw notFound(`No collection ${scope.collection}.`)
  if (spec.tenantField && !scope.tenant)
    throw invalid('tenant_required', `Collection ${spec.name} is per tenant: send the X-Tenant header.`)
  const filter = request.filter ? parseFilter(request.filter) : undefined
  const vectors = await queryVectors(deps, spec, request, signal)
  const embedded = now()
  const page = { limit: request.limit, offset: request.offset }
  const window = page.limit + page.offset
  const storeLimit = request.rerank ? Math.max(request.rerank.candidates, window) : page.limit
  const storeOffset = request.rerank ? 0 : page.offset
  const query: QuerySpec = {
    mode: request.mode,
    ...vectors,
    filter,
    prefetchLimit: Math.max(request.prefetch_limit ?? window * PREFETCH_FACTOR, storeLimit + storeOffset),
    fusion: fusionOf(request.fusion),
    limit: storeLimit,
    offset: storeOffset,
    withPayload: request.with_payload || request.rerank !== undefined,
  }
  const hits = await deps.store.query(scope, query, signal)
  const searched = now()
  const results = request.rerank
    ? await reranked(deps, request, hits, signal)
    : hits.map((h) => hit(h, request.mode === 'hybrid', request.with_payload))
  const done = now()
  return {
    results,
    timings_ms: {
      embed: round(embedded - start),
      search: round(searched - embedded),
      rerank: round(done - searched),
      total: round(done - start),
    },
    mode: request.mode,
    fusion: request.mode === 'hybrid' ? fusionLabel(query.fusion) : null,
  }
}

async function queryVectors(
  deps: QueryDeps,
  spec: CollectionSpec,
  request: QueryRequest,
  signal?: AbortSignal,
) {
  const needDense = request.mode !== 'sparse'
  const needSparse = request.mode !== 'dense'
  let dense = needDense && request.dense ? checkDense(request.dense, spec.dense.size) : undefined
  let sparse = needSparse && request.sparse ? checkSparse(request.sparse) : undefined
  const missing = { dense: needDense && !dense, sparse: needSparse && !sparse }
  if (!missing.dense && !missing.sparse) return { dense, sparse }
  if (!request.query)
    throw badRequest(
      `Mode ${request.mode} needs \`query\` text, or the ${missing.dense ? 'dense' : 'sparse'} vector.`,
    )
  if (!deps.embedder)
    throw upstreamUnavailable('The embeddings server', 30, 'is not configured (set EMBED_URL)')
  const got = await deps.embedder.embed([request.query], missing, signal)
  if (missing.dense) dense = checkDense(one(got.dense, 'dense'), spec.dense.size, 'the embedded query')
  if (missing.sparse) sparse = checkSparse(one(got.sparse, 'sparse'), 'the embedded query')
  return { dense, sparse }
}

function one<T>(list: T[] | undefined, what: string): T {
  const first = list?.[0]
  if (first === undefined) throw invalid('bad_vector', `The embeddings server returned no ${what} vector.`)
  return first
}

/** Scores the candidates' `text` with the reranker; those without text keep their order after the rest. */
async function reranked(deps: QueryDeps, request: QueryRequest, hits: ScoredPoint[], signal?: AbortSignal) {
  const { rerank, query, limit, offset, with_payload } = request
  if (!rerank) return []
  if (!query) throw badRequest('rerank needs `query` text to score the candidates against.')
  if (!deps.reranker) throw upstreamUnavailable('The reranker', 30, 'is not configured (set EMBED_URL)')
  const withText = hits.filter((h) => typeof h.payload?.text === 'string')
  const without = hits.filter((h) => typeof h.payload?.text !== 'string')
  const texts = withText.map((h) => h.payload?.text as string)
  const scores = texts.length > 0 ? await deps.reranker.score(query, texts, signal) : []
  if (scores.length !== texts.length)
    throw upstreamFailed('The reranker', `answered ${scores.length} scores for ${texts.length} documents`)
  const scored = withText
    .map((h, i) => ({
      ...hit(h, true, with_payload),
      score: scores[i] as number,
      rerank_score: scores[i] as number,
    }))
    .sort((a, b) => b.score - a.score)
  const rest = without.map((h) => ({ ...hit(h, true, with_payload), rerank_score: null }))
  const count = Math.min(limit, rerank.top_n ?? limit)
  return [...scored, ...rest].slice(offset, offset + count)
}

/** `fused_score` keeps the store's score where another one may take its place or it is a fusion's. */
function hit(point: ScoredPoint, keepFused: boolean, withPayload: boolean) {
  return {
    id: point.id,
    score: point.score,
    ...(keepFused ? { fused_score: point.score } : {}),
    ...(withPayload && point.payload ? { payload: point.payload } : {}),
  }
}

function fusionOf(fusion: QueryRequest['fusion']): Fusion {
  return fusion === 'dbsf' ? { kind: 'dbsf' } : { kind: 'rrf', k: fusion.rrf.k }
}

const fusionLabel = (fusion: Fusion) => (fusion.kind === 'dbsf' ? 'dbsf' : `rrf(k=${fusion.k})`)
const round = (ms: number) => Math.round(ms * 100) / 100
