/**
 * What the search page reads from and asks of vector-search, as the page needs it: the port the
 * gateway implements over HTTP (services/gateway/adapters/search-source.ts, which checks every
 * answer against shared/contracts/vector-search*) and the tests fake. Kept beside the page rather
 * than in ui/ports.ts because its shapes are the page's view of several contracts (collections,
 * documents, jobs, query), mapped once in the adapter.
 */

/** The collection name, document id and tenant id vector-search accepts, from its contract. */
export {
  COLLECTION_NAME,
  DOCUMENT_ID,
  TENANT_ID,
} from '../../shared/contracts/vector-search.ts'

export interface SearchCollection {
  name: string
  /** Points (chunks) stored; null when they cannot be counted without a tenant. */
  points: number | null
  /** The payload field holding the tenant, when the collection is multi-tenant. */
  tenantField: string | null
  denseSize: number | null
  distance: string | null
}

export interface NewCollection {
  name: string
  tenantField?: string
}

export interface IngestTry {
  collection: string
  docId: string
  text: string
  metadata?: Record<string, unknown>
  tenant?: string
  /** Ask for a job (202) whatever the size, to follow its progress. */
  background?: boolean
}

/** A document ingested at once (`done`), or taken as a job to follow (`queued`). */
export type IngestOutcome =
  | {
      kind: 'done'
      status: 'created' | 'replaced' | 'unchanged'
      chunks: number
      tookMs: number | null
      /** Chunks embedded this time (0 for an unchanged document). */
      embedded: number | null
    }
  | { kind: 'queued'; jobId: string; chunks: number | null }

export interface IngestJob {
  id: string
  state: 'queued' | 'running' | 'done' | 'failed'
  collection: string | null
  docId: string | null
  /** Chunks done and planned, when known. */
  done: number
  total: number | null
  result: Extract<IngestOutcome, { kind: 'done' }> | null
  error: string | null
}

export type QueryMode = 'hybrid' | 'dense' | 'sparse'

export interface QueryTry {
  collection: string
  query: string
  mode: QueryMode
  rerank: boolean
  limit: number
  tenant?: string
}

export interface QueryHit {
  id: string
  docId: string | null
  chunk: number | null
  text: string
  /** The fused score in hybrid mode, the leg's own score otherwise. */
  score: number
  /** The reranker's raw logit, when the query asked for a rerank. */
  rerankScore: number | null
}

export interface QueryAnswer {
  mode: QueryMode
  fusion: string | null
  reranked: boolean
  hits: QueryHit[]
  /** Milliseconds per stage (embed, each leg, fusion, rerank, total…), in the order the service gave. */
  timings: [stage: string, ms: number][]
}

/** A refusal or failure of vector-search in its own words: its code, and Retry-After when it gave one. */
export class SearchSourceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message)
  }
}

export interface SearchSource {
  /** Collections with their point counts (per tenant when `tenant` is given). */
  collections(tenant?: string, signal?: AbortSignal): Promise<SearchCollection[]>
  /** Changes are made as `actor` (vector-search's audit log names it). */
  createCollection(spec: NewCollection, actor: string, signal?: AbortSignal): Promise<SearchCollection>
  /** Deletes every point of every tenant (a person confirmed it); false when there was no such collection. */
  deleteCollection(name: string, actor: string, signal?: AbortSignal): Promise<boolean>
  ingest(input: IngestTry, actor: string, signal?: AbortSignal): Promise<IngestOutcome>
  job(id: string, signal?: AbortSignal): Promise<IngestJob>
  query(input: QueryTry, signal?: AbortSignal): Promise<QueryAnswer>
}
