/**
 * The earlier `POST /api/search`: a hybrid proxy to Qdrant for collections the clients build
 * themselves (our bge-m3 dense vectors, their own BM25 sparse vectors, vector names of their own).
 * The body is turned into one Qdrant Query API call: both vectors as prefetch legs under the
 * client's filter, fused by RRF; one vector alone as a plain query. The filter is Qdrant's and is
 * passed on as given (Qdrant checks it: a bad one is its 400), since these clients may use parts of
 * Qdrant's filter language the collection routes do not.
 */
import type {
  EarlierSearchRequest,
  EarlierSearchResponse,
} from '../../../../shared/contracts/vector-search.ts'
import { AppError, badRequest, upstreamUnavailable } from '../../../../shared/errors.ts'
import type { Embedder } from '../embed/ports.ts'
import { checkCollectionName } from './collection-spec.ts'
import { invalid } from './errors.ts'
import { checkSparse } from './vectors.ts'

/** Qdrant's `POST /collections/{name}/points/query`, as the earlier route needs it. */
export interface EarlierQdrant {
  query(
    collection: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<EarlierSearchResponse['results']>
}

export interface EarlierDeps {
  /** Absent when the service runs the embedded store: the route then answers 503 saying why. */
  qdrant?: EarlierQdrant
  embedder?: Embedder
}

const PREFETCH_FACTOR = 4
const MIN_PREFETCH = 20

export async function earlierSearch(
  deps: EarlierDeps,
  request: EarlierSearchRequest,
  signal?: AbortSignal,
): Promise<EarlierSearchResponse> {
  const collection = checkCollectionName(request.collection)
  if (!deps.qdrant)
    throw new AppError(
      503,
      'qdrant_not_configured',
      '/api/search searches Qdrant collections and this service runs the embedded store (QDRANT_URL unset); ' +
        'use POST /api/search/collections/{name}/query, or set QDRANT_URL.',
      // Every 503 says when to look again; this one changes only when the owner configures Qdrant.
      { retryAfterS: 300 },
    )
  const sparse = request.sparse ? checkSparse(request.sparse) : undefined
  const dense = request.dense
    ? finite(request.dense)
    : await embedded(deps, request, sparse !== undefined, signal)
  if (!dense && !sparse) throw badRequest('Send `query` text, a `dense` vector or a `sparse` vector.')
  const mode = dense && sparse ? 'hybrid' : dense ? 'dense' : 'sparse'
  const body = qdrantBody(request, dense, sparse)
  const results = await deps.qdrant.query(collection, body, signal)
  return { collection, mode, results }
}

/** The query text as a bge-m3 dense vector; without text none (a sparse-only search). */
async function embedded(
  deps: EarlierDeps,
  request: EarlierSearchRequest,
  hasSparse: boolean,
  signal?: AbortSignal,
) {
  if (!request.query) return undefined
  if (!deps.embedder) {
    if (hasSparse) return undefined
    throw upstreamUnavailable('The embeddings server', 30, 'is not configured (set EMBED_URL)')
  }
  const got = await deps.embedder.embed([request.query], { dense: true, sparse: false }, signal)
  const vector = got.dense?.[0]
  if (!vector) throw invalid('bad_vector', 'The embeddings server returned no dense vector.')
  return vector
}

function finite(vector: number[]) {
  if (vector.length === 0 || !vector.every(Number.isFinite))
    throw invalid('bad_vector', '`dense` must be a non-empty list of finite numbers.')
  return vector
}

function qdrantBody(
  request: EarlierSearchRequest,
  dense: number[] | undefined,
  sparse: { indices: number[]; values: number[] } | undefined,
): Record<string, unknown> {
  const common = { limit: request.limit, with_payload: request.with_payload, with_vector: false }
  const filter = request.filter ? { filter: request.filter } : {}
  if (dense && sparse) {
    const limit = Math.max(request.limit * PREFETCH_FACTOR, MIN_PREFETCH)
    return {
      // The filter sits in each leg, so a leg's candidates are all eligible before fusion.
      prefetch: [
        { query: dense, using: request.using.dense, limit, ...filter },
        { query: sparse, using: request.using.sparse, limit, ...filter },
      ],
      query: { fusion: 'rrf' },
      ...common,
    }
  }
  const [query, using] = dense ? [dense, request.using.dense] : [sparse, request.using.sparse]
  return { query, using, ...filter, ...common }
}
