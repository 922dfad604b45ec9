/**
 * Documents of a collection: ingest (chunked, embedded and written here; 202 with a job when large
 * or asked), delete one document by id, delete the chunks a filter matches. Writes are visible to
 * the next query when the call returns. Errors are problem+json (shared/errors.ts).
 */
import { createRoute } from '@hono/zod-openapi'
import { AppError } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { admitDocuments, type IngestLimits } from '../domain/documents/admit.ts'
import type { ChunkingOptions } from '../domain/documents/chunking.ts'
import { docFilter, type Ingester } from '../domain/documents/ingest.ts'
import type { IngestJobs } from '../domain/documents/jobs.ts'
import { prepareDocument } from '../domain/documents/prepare.ts'
import { tenantFrom } from '../domain/query/caller.ts'
import { invalid, mapped } from '../domain/query/errors.ts'
import { parseFilter } from '../domain/query/filter.ts'
import type { VectorStore } from '../domain/store/ports.ts'
import {
  collectionParam,
  DeleteDocumentsRequest,
  DeletedDocuments,
  documentParam,
  IngestJob,
  IngestRequest,
  IngestResponse,
  ingestQuery,
  tenantHeaders,
} from './documents-schemas.ts'
import { collectionScope } from './documents-scope.ts'

export interface DocumentRouteDeps {
  store: VectorStore
  ingester: Ingester
  jobs: IngestJobs
  chunking: ChunkingOptions
  limits: IngestLimits
  /** An ingest of more chunks than this answers 202 with a job (and runs as one wave when not). */
  asyncChunks: number
  /** Retry-After when the job queue is full. */
  jobsFullRetryS?: number
}

const problem = (description: string) => ({ description })

const ingestRoute = createRoute({
  method: 'post',
  path: '/api/search/collections/{name}/documents',
  tags: ['search'],
  summary: 'Ingest documents: chunked, embedded (dense + sparse) and written; unchanged ones skipped',
  description:
    'Each document is cut at Markdown headings, paragraphs, sentences and words (CHUNK_TOKENS, with ' +
    'CHUNK_OVERLAP_TOKENS of overlap); chunk ids are stable UUIDv5s, so re-sending an unchanged document ' +
    'makes no embedding call and no write, and a changed one replaces its old chunks in one step. More ' +
    'chunks than INGEST_ASYNC_CHUNKS (or `?async=true`) answers 202 with a job (`Location`).',
  request: {
    params: collectionParam,
    query: ingestQuery,
    headers: tenantHeaders,
    body: jsonBody(IngestRequest),
  },
  responses: {
    200: jsonContent('Every document written or found unchanged', IngestResponse),
    202: jsonContent('Accepted as a job; follow `Location` (GET /api/search/jobs/{id})', IngestJob),
    400: problem('Bad collection name, malformed JSON, missing or bad X-Tenant'),
    404: problem('No such collection'),
    413: problem('Too many documents, a text or a metadata object over its limit'),
    422: problem('A field is invalid (named), a document id given twice, a reserved metadata key'),
    503: problem(
      'The embeddings server or the store is down, or the job queue is full (Retry-After); nothing written',
    ),
    504: problem('The embeddings server or the store did not answer in time'),
  },
})

const deleteOneRoute = createRoute({
  method: 'delete',
  path: '/api/search/collections/{name}/documents/{doc_id}',
  tags: ['search'],
  summary: 'Delete a document (all its chunks); visible to the next query',
  request: { params: documentParam, headers: tenantHeaders },
  responses: {
    200: jsonContent('Chunks deleted (0 when there was no such document)', DeletedDocuments),
    400: problem('Bad collection name, missing or bad X-Tenant'),
    404: problem('No such collection'),
  },
})

const deleteWhereRoute = createRoute({
  method: 'post',
  path: '/api/search/collections/{name}/documents/delete',
  tags: ['search'],
  summary: 'Delete the chunks a filter matches (Qdrant filter); visible to the next query',
  request: { params: collectionParam, headers: tenantHeaders, body: jsonBody(DeleteDocumentsRequest) },
  responses: {
    200: jsonContent('Chunks deleted', DeletedDocuments),
    400: problem('Bad collection name or filter, an empty filter, missing or bad X-Tenant'),
    404: problem('No such collection'),
  },
})

export function documentRoutes(deps: DocumentRouteDeps): ServiceApp {
  const router = createRouter()

  router.openapi(ingestRoute, async (c) => {
    const started = performance.now()
    const signal = c.req.raw.signal
    const { name } = c.req.valid('param')
    const { documents } = c.req.valid('json')
    const { scope, collection } = await collectionScope(
      deps.store,
      name,
      tenantFrom((n) => c.req.header(n)),
      signal,
    )
    const tenancy = { field: collection.tenantField, tenant: scope.tenant }
    admitDocuments(documents, deps.limits, tenancy)
    const prepared = documents.map((doc) => prepareDocument(doc, deps.chunking, tenancy))
    const chunkMs = performance.now() - started
    const chunksTotal = prepared.reduce((n, d) => n + d.chunks.length, 0)
    const asked = c.req.valid('query').async
    if (asked === 'true' || asked === '1' || chunksTotal > deps.asyncChunks) {
      const job = deps.jobs.submit({
        collection: name,
        tenant: scope.tenant,
        documentsTotal: prepared.length,
        chunksTotal,
        run: async (onDocument, jobSignal) =>
          (await deps.ingester.ingest(scope, prepared, { onDocument, signal: jobSignal })).documents,
      })
      if (!job) {
        const retryAfterS = deps.jobsFullRetryS ?? 30
        throw new AppError(
          503,
          'jobs_full',
          `Too many ingest jobs queued or running; retry in ${retryAfterS} s.`,
          {
            retryAfterS,
          },
        )
      }
      return c.json(job, 202, { Location: `/api/search/jobs/${job.id}` })
    }
    const out = await mapped(() => deps.ingester.ingest(scope, prepared, { signal }))
    const round = (ms: number) => Math.round(ms * 10) / 10
    const body = {
      collection: name,
      documents: out.documents,
      chunks: chunksTotal,
      embedded: out.documents.reduce((n, d) => n + d.embedded, 0),
      timings: { chunk_ms: round(chunkMs), ...out.timings, total_ms: round(performance.now() - started) },
    }
    return c.json(body, 200)
  })

  router.openapi(deleteOneRoute, async (c) => {
    const { name, doc_id } = c.req.valid('param')
    const signal = c.req.raw.signal
    const { scope } = await collectionScope(
      deps.store,
      name,
      tenantFrom((n) => c.req.header(n)),
      signal,
    )
    const deleted = await mapped(() => deps.store.deleteWhere(scope, docFilter(doc_id), signal))
    return c.json({ deleted }, 200)
  })

  router.openapi(deleteWhereRoute, async (c) => {
    const { name } = c.req.valid('param')
    const signal = c.req.raw.signal
    const { scope } = await collectionScope(
      deps.store,
      name,
      tenantFrom((n) => c.req.header(n)),
      signal,
    )
    const filter = parseFilter(c.req.valid('json').filter)
    // An empty filter matches every point: deleting a whole collection is DELETE on the collection.
    if (!filter.must?.length && !filter.should?.length && !filter.must_not?.length)
      throw invalid(
        'empty_filter',
        'The filter has no condition; to delete everything, delete the collection.',
      )
    const deleted = await mapped(() => deps.store.deleteWhere(scope, filter, signal))
    return c.json({ deleted }, 200)
  })

  return router
}
