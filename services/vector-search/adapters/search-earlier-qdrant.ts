/**
 * Qdrant's Query API (`POST /collections/{name}/points/query`, Qdrant ≥ 1.10) for the earlier
 * `/api/search`. The collection name is URL-encoded into the path (it was whitelisted already);
 * every call has a timeout; Qdrant's answers become the statuses a client of ours expects.
 */
import type { Dispatcher } from 'undici'
import type { EarlierSearchResponse } from '../../../shared/contracts/vector-search.ts'
import {
  type AppError,
  badRequest,
  notFound,
  upstreamFailed,
  upstreamUnavailable,
} from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'
import type { VectorConfig } from '../config.ts'
import type { EarlierQdrant } from '../domain/query/earlier.ts'

export interface EarlierQdrantOptions {
  /** Qdrant's base URL, no trailing slash. */
  url: string
  apiKey?: string
  timeoutMs: number
  dispatcher?: Dispatcher
}

const RETRY_AFTER_S = 5

interface QdrantAnswer {
  result?: { points?: { id: string | number; score: number; payload?: Record<string, unknown> | null }[] }
  status?: { error?: string } | string
}

export function qdrantEarlierSearch(options: EarlierQdrantOptions): EarlierQdrant {
  const headers = options.apiKey ? { 'api-key': options.apiKey } : undefined
  return {
    async query(collection, body, signal) {
      const url = `${options.url}/collections/${encodeURIComponent(collection)}/points/query`
      const res = await callJson<QdrantAnswer>(url, {
        service: 'Qdrant',
        body,
        headers,
        timeoutMs: options.timeoutMs,
        signal,
        dispatcher: options.dispatcher,
        retryAfterS: RETRY_AFTER_S,
      })
      if (res.status === 200) return points(res.body)
      throw failure(res.status, res.body, collection)
    },
  }
}

function points(body: QdrantAnswer): EarlierSearchResponse['results'] {
  const list = body?.result?.points
  if (!Array.isArray(list)) throw upstreamFailed('Qdrant', 'answered a query without result.points')
  return list.map((p) => ({ id: p.id, score: p.score, ...(p.payload ? { payload: p.payload } : {}) }))
}

function failure(status: number, body: QdrantAnswer, collection: string): AppError {
  const said = typeof body?.status === 'object' ? body.status.error : undefined
  const why = (said ?? `status ${status}`).slice(0, 300)
  if (status === 404) return notFound(`No collection ${collection} in Qdrant.`)
  // A wrong vector name or size, or a filter Qdrant does not read: the client's request, not Qdrant.
  if (status === 400 || status === 422) return badRequest(`Qdrant refused the search: ${why}`)
  if (status === 401 || status === 403)
    return upstreamFailed('Qdrant', 'refused our API key (check QDRANT_API_KEY)')
  if (status === 503 || status === 429)
    return upstreamUnavailable('Qdrant', RETRY_AFTER_S, 'is busy or starting')
  return upstreamFailed('Qdrant', why)
}

/** The earlier route's Qdrant when the service is configured for Qdrant; none with the embedded store. */
export function earlierQdrantFrom(
  config: Pick<VectorConfig, 'QDRANT_URL' | 'QDRANT_API_KEY' | 'QDRANT_TIMEOUT_MS'>,
  dispatcher?: Dispatcher,
): EarlierQdrant | undefined {
  if (!config.QDRANT_URL) return undefined
  return qdrantEarlierSearch({
    url: config.QDRANT_URL,
    apiKey: config.QDRANT_API_KEY?.reveal(),
    timeoutMs: config.QDRANT_TIMEOUT_MS,
    dispatcher,
  })
}
