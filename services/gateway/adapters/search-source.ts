/**
 * The dashboard's view of vector-search (its search page): collections, ingesting a pasted
 * document, following an ingest job, and a query, over HTTP with a deadline on every call. Every
 * answer is checked against vector-search's contract (shared/contracts/vector-search*) and mapped
 * once to the page's shapes (ui/search/source.ts). What a person pastes or asks goes to
 * vector-search only, and is never logged here.
 */
import { z } from '@hono/zod-openapi'
import { withBudget } from '../../../shared/abort.ts'
import {
  type CollectionInfo,
  CollectionList,
  CollectionInfo as CollectionSchema,
  DeletedCollection,
  type DocumentResult,
  IngestJob,
  IngestResponse,
  QueryResponse,
} from '../../../shared/contracts/vector-search.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { internalProofHeaders } from '../../../shared/internal-auth/prove.ts'
import {
  type IngestOutcome,
  type IngestTry,
  type IngestJob as JobView,
  type QueryAnswer,
  type QueryTry,
  type SearchCollection,
  type SearchSource,
  SearchSourceError,
} from '../../../ui/search/source.ts'
import { messageOf } from './controller-call.ts'

export interface SearchSourceOptions {
  baseUrl: string
  /** Reads, collection changes and queries. */
  timeoutMs?: number
  /** An ingest that answers when it is written: a pasted document of a few hundred chunks. */
  ingestTimeoutMs?: number
}

const SERVICE = 'vector-search'

/** The answer as the contract types it, or a 502 naming the fields at fault. */
function valid<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const fields = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(body)')
  throw upstreamFailed(SERVICE, `its answer to ${what} does not match the contract (${fields.join(', ')})`)
}

const PROBLEM_TYPE = 'urn:spark-control:error:'

/** The error code of problem+json (`type: urn:spark-control:error:<code>`), or of the OpenAI envelope. */
function codeOf(body: Record<string, unknown> | null): string | null {
  const type = body?.type
  if (typeof type === 'string' && type.startsWith(PROBLEM_TYPE)) return type.slice(PROBLEM_TYPE.length)
  const inner = body?.error as Record<string, unknown> | undefined
  return typeof inner?.code === 'string' ? inner.code : null
}

/** A refusal in vector-search's words (problem+json `detail`), with its code and Retry-After. */
async function refusal(res: Response): Promise<SearchSourceError> {
  const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
  const code = codeOf(body)
  const retry = Number(res.headers.get('retry-after'))
  const message = messageOf(body) ?? `The search service answered ${res.status}${code ? ` (${code})` : ''}.`
  return new SearchSourceError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : null)
}

const collectionView = (c: CollectionInfo): SearchCollection => ({
  name: c.name,
  points: c.points,
  tenantField: c.tenant_field,
  denseSize: c.dense.size,
  distance: c.dense.distance,
})

const text = (v: unknown) => (typeof v === 'string' ? v : '')
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : null)

function answerView(a: z.output<typeof QueryResponse>, reranked: boolean): QueryAnswer {
  return {
    mode: a.mode,
    fusion: a.fusion,
    reranked,
    hits: a.results.map((h) => ({
      id: h.id,
      docId: text(h.payload?.doc_id) || null,
      chunk: int(h.payload?.chunk_index),
      text: text(h.payload?.text),
      score: h.fused_score ?? h.score,
      rerankScore: reranked ? (h.rerank_score ?? null) : null,
    })),
    timings: Object.entries(a.timings_ms),
  }
}

const ingestBody = (input: IngestTry) => ({
  documents: [{ id: input.docId, text: input.text, ...(input.metadata ? { metadata: input.metadata } : {}) }],
})

/** Written at once (200), or taken as a job (202): the job's own fields tell them apart. */
const IngestAnswer = z.union([IngestJob, IngestResponse])

const done = (d: DocumentResult, tookMs: number | null): Extract<IngestOutcome, { kind: 'done' }> => ({
  kind: 'done',
  status: d.status,
  chunks: d.chunks,
  embedded: d.embedded,
  tookMs,
})

function ingestOutcome(a: z.output<typeof IngestAnswer>): IngestOutcome {
  if ('state' in a) return { kind: 'queued', jobId: a.id, chunks: a.chunks_total }
  const doc = a.documents[0]
  if (!doc) throw upstreamFailed(SERVICE, 'answered an ingest of one document with no document')
  return done(doc, a.timings.total_ms)
}

function jobView(j: z.output<typeof IngestJob>): JobView {
  const took = j.finished_at ? Date.parse(j.finished_at) - Date.parse(j.created_at) : Number.NaN
  const doc = j.state === 'done' ? j.documents?.[0] : undefined
  return {
    id: j.id,
    state: j.state,
    collection: j.collection,
    docId: j.documents?.[0]?.id ?? null,
    done: j.chunks_done,
    total: j.chunks_total,
    result: doc ? done(doc, Number.isFinite(took) ? took : null) : null,
    error: j.error?.message ?? null,
  }
}

function queryBody(q: QueryTry) {
  return { query: q.query, mode: q.mode, limit: q.limit, ...(q.rerank ? { rerank: {} } : {}) }
}

export function createSearchSource(options: SearchSourceOptions): SearchSource {
  const base = options.baseUrl.replace(/\/+$/, '')
  const readMs = options.timeoutMs ?? 15_000
  const ingestMs = options.ingestTimeoutMs ?? 120_000

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    opts: { body?: unknown; tenant?: string; actor?: string; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {}
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    if (opts.tenant) headers['x-tenant'] = opts.tenant
    if (opts.actor) headers['x-spark-actor'] = opts.actor
    const timeoutMs = opts.timeoutMs ?? readMs
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    let res: Response
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...internalProofHeaders(method, `${base}${path}`) },
        body,
        signal: withBudget(opts.signal, timeoutMs),
      })
    } catch (err) {
      throw classifyFailure(err, { service: SERVICE, timeoutMs })
    }
    if (res.status >= 400) throw await refusal(res)
    return valid(schema, await res.json().catch(() => null), `${method} ${path.split('?')[0]}`)
  }

  const collectionPath = (name: string) => `/api/search/collections/${encodeURIComponent(name)}`

  return {
    async collections(tenant, signal) {
      const list = await call('GET', '/api/search/collections', CollectionList, { tenant, signal })
      return list.collections.map(collectionView)
    },
    async createCollection(spec, actor, signal) {
      const body = { name: spec.name, ...(spec.tenantField ? { tenant_field: spec.tenantField } : {}) }
      return collectionView(
        await call('POST', '/api/search/collections', CollectionSchema, { body, actor, signal }),
      )
    },
    async deleteCollection(name, actor, signal) {
      try {
        // vector-search asks for the name again: the person confirmed this very collection.
        const path = `${collectionPath(name)}?confirm=${encodeURIComponent(name)}`
        await call('DELETE', path, DeletedCollection, { actor, signal })
        return true
      } catch (err) {
        if (err instanceof SearchSourceError && err.status === 404) return false
        throw err
      }
    },
    async ingest(input, actor, signal) {
      const path = `${collectionPath(input.collection)}/documents${input.background ? '?async=true' : ''}`
      const opts = { body: ingestBody(input), tenant: input.tenant, actor, timeoutMs: ingestMs, signal }
      return ingestOutcome(await call('POST', path, IngestAnswer, opts))
    },
    async job(id, signal) {
      return jobView(await call('GET', `/api/search/jobs/${encodeURIComponent(id)}`, IngestJob, { signal }))
    },
    async query(input, signal) {
      const path = `${collectionPath(input.collection)}/query`
      const opts = { body: queryBody(input), tenant: input.tenant, signal }
      return answerView(await call('POST', path, QueryResponse, opts), input.rerank)
    },
  }
}
