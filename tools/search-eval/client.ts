/**
 * The vector-search routes the evaluation and the search bench drive, over HTTP: the service
 * itself, or the gateway in front of it (the same paths). Every call has a timeout; a failure names
 * the route and the service's answer.
 */
import { sleep } from '../../shared/abort.ts'
import type {
  IngestJob,
  IngestResponse,
  QueryRequest,
  QueryResponse,
} from '../../shared/contracts/vector-search.ts'
import { internalProofHeaders } from '../../shared/internal-auth/prove.ts'

export interface EvalDocument {
  id: string
  text: string
  metadata?: Record<string, unknown>
}

export interface SearchClient {
  readonly baseUrl: string
  createCollection(name: string): Promise<void>
  deleteCollection(name: string): Promise<void>
  /** Ingests the documents and waits until they are searchable; answers the chunks and the service's timings (sync answers). */
  ingest(
    collection: string,
    documents: EvalDocument[],
  ): Promise<{ chunks: number; timings?: IngestResponse['timings'] }>
  query(collection: string, request: Partial<QueryRequest>): Promise<QueryResponse>
}

export class RouteError extends Error {
  constructor(
    readonly route: string,
    readonly status: number,
    body: string,
  ) {
    super(`${route} answered ${status}: ${body.slice(0, 300)}`)
    this.name = 'RouteError'
  }
}

export interface ClientOptions {
  /** `Authorization: Bearer …` for a gateway that requires a key for the search group. */
  apiKey?: string
  timeoutMs?: number
  /** How long an ingest job may run before the client gives up on it. */
  jobTimeoutMs?: number
}

/** chunks the documents now have: the sync answer's count, or the finished job's per-document results. */
const chunksOf = (answer: IngestResponse | IngestJob) =>
  'chunks' in answer ? answer.chunks : (answer.documents ?? []).reduce((n, d) => n + d.chunks, 0)

export function httpSearchClient(baseUrl: string, options: ClientOptions = {}): SearchClient {
  const base = baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 120_000

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        // Straight to a vector-search started here (target.ts arms it): the gateway's proof.
        ...internalProofHeaders(method, `${base}${path}`),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await res.text()
    if (!res.ok) throw new RouteError(`${method} ${path}`, res.status, text)
    return { status: res.status, json: (text ? JSON.parse(text) : {}) as T }
  }

  async function waitForJob(id: string): Promise<IngestJob> {
    const deadline = Date.now() + (options.jobTimeoutMs ?? 600_000)
    for (let delay = 20; Date.now() < deadline; delay = Math.min(500, delay * 2)) {
      const { json } = await call<IngestJob>('GET', `/api/search/jobs/${encodeURIComponent(id)}`)
      if (json.state === 'done') return json
      if (json.state === 'failed')
        throw new RouteError(`ingest job ${id}`, json.error?.status ?? 500, JSON.stringify(json.error))
      await sleep(delay)
    }
    throw new Error(`ingest job ${id} did not finish in time`)
  }

  const collectionPath = (name: string) => `/api/search/collections/${encodeURIComponent(name)}`
  return {
    baseUrl: base,
    async createCollection(name) {
      await call('POST', '/api/search/collections', { name })
    },
    async deleteCollection(name) {
      // The route asks for the name again, so a stray DELETE cannot drop a collection.
      await call('DELETE', `${collectionPath(name)}?confirm=${encodeURIComponent(name)}`)
    },
    async ingest(collection, documents) {
      const path = `${collectionPath(collection)}/documents`
      const { status, json } = await call<IngestResponse | IngestJob>('POST', path, { documents })
      const done = status === 202 && 'state' in json ? await waitForJob(json.id) : json
      return { chunks: chunksOf(done), ...('timings' in done ? { timings: done.timings } : {}) }
    },
    async query(collection, request) {
      return (await call<QueryResponse>('POST', `${collectionPath(collection)}/query`, request)).json
    },
  }
}
