import type { AuditStore } from '../../shared/audit/store.ts'
import type { Logger } from '../../shared/logger.ts'
import { methodNotAllowed } from '../../shared/method-not-allowed.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import { createIngestJobs } from './adapters/ingest-jobs.ts'
import type { VectorUpstreams } from './adapters/upstreams.ts'
import { vectorCapabilities } from './capabilities.ts'
import { loadVectorConfig, type VectorConfig } from './config.ts'
import { createIngester } from './domain/documents/ingest.ts'
import { type DocumentsConfig, documentSettings } from './domain/documents/settings.ts'
import type { Embedder, Reranker } from './domain/embed/ports.ts'
import type { EarlierQdrant } from './domain/query/earlier.ts'
import { asAppError } from './domain/query/errors.ts'
import { cachedSpecs } from './domain/query/specs.ts'
import { embeddedStoreCheck } from './domain/query/store-check.ts'
import type { VectorStore } from './domain/store/ports.ts'
import { mountAudit } from './routes/audit.ts'
import { collectionRoutes } from './routes/collections.ts'
import { documentRoutes } from './routes/documents.ts'
import { embedRoutes } from './routes/embed.ts'
import { embeddingsRoutes } from './routes/embeddings.ts'
import { jobRoutes } from './routes/jobs.ts'
import { queryRoutes } from './routes/query.ts'
import { rerankRoutes } from './routes/rerank.ts'
import { earlierSearchRoutes } from './routes/search-earlier.ts'

export const SERVICE_NAME = 'vector-search'

/** Readiness waits a little longer than a health probe, so the probe's own verdict is reported. */
const READINESS_MARGIN_MS = 1000

export interface VectorDeps {
  config: Pick<VectorConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES' | 'UPSTREAM_HEALTH_TIMEOUT_MS'> &
    Partial<Pick<VectorConfig, 'RERANK_MAX_DOCUMENTS'>> &
    Partial<DocumentsConfig>
  logger: Logger
  upstreams: VectorUpstreams
  metrics?: Metrics
  shutdown?: AbortSignal
  /** The bge-m3 reranker (`/v1/rerank` is mounted when given); documents per request from RERANK_MAX_DOCUMENTS. */
  reranker?: Reranker
  /** The vector store and the embeddings server; the documents routes are mounted when both are given. */
  store?: VectorStore
  embedder?: Embedder
  /** Qdrant's Query API for the earlier `/api/search`; without it that route answers 503 (embedded store only). */
  earlierQdrant?: EarlierQdrant
  /** The service's audit log (`kit.audit`): collection and document changes; absent, nothing is recorded. */
  audit?: AuditStore
}

export function buildApp(deps: VectorDeps): ServiceApp {
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [
      deps.upstreams.embeddings,
      deps.upstreams.qdrant,
      ...(deps.store?.kind === 'embedded' ? [embeddedStoreCheck(deps.store)] : []),
    ],
    capabilities: vectorCapabilities(deps.store?.kind),
    simulated: deps.config.SIMULATED_CLUSTER,
    timeoutMs: deps.config.UPSTREAM_HEALTH_TIMEOUT_MS + READINESS_MARGIN_MS,
  })
  const app = createService({
    name: SERVICE_NAME,
    description: 'Embeddings, rerank and hybrid search over bge-m3 and Qdrant (or the embedded store).',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
  })
  mountAudit(app, deps.audit)
  mountEmbeddings(app, deps)
  if (deps.store && deps.embedder)
    mountDocuments(app, { ...deps, store: deps.store, embedder: deps.embedder })
  mountSearch(app, deps)
  // Last: a known path asked with another method is 405 with Allow, not 404 (shared/method-not-allowed.ts).
  app.all('*', methodNotAllowed(app))
  return app
}

/** Collections and their query over the store in use, and the earlier `/api/search` over Qdrant. */
function mountSearch(app: ServiceApp, deps: VectorDeps) {
  if (deps.store) {
    const specs = cachedSpecs(deps.store)
    app.route('/', collectionRoutes({ store: deps.store, specs }))
    app.route(
      '/',
      queryRoutes({ store: deps.store, specs, embedder: deps.embedder, reranker: deps.reranker }),
    )
  }
  app.route('/', earlierSearchRoutes({ qdrant: deps.earlierQdrant, embedder: deps.embedder }))
}

/** Ingest, delete and ingest-job routes; unset settings take config.ts's defaults. */
function mountDocuments(app: ServiceApp, deps: VectorDeps & { store: VectorStore; embedder: Embedder }) {
  const settings = documentSettings({ ...loadVectorConfig({}), ...deps.config })
  const ingester = createIngester({ store: deps.store, embedder: deps.embedder, settings: settings.ingest })
  const jobs = createIngestJobs({ ...settings.jobs, describe: asAppError })
  deps.shutdown?.addEventListener('abort', () => jobs.close(), { once: true })
  app.route('/', documentRoutes({ ...settings, store: deps.store, ingester, jobs }))
  app.route('/', jobRoutes({ jobs }))
}

/** Embeddings, embed and rerank: the routes over the bge-m3 server. */
function mountEmbeddings(app: ServiceApp, deps: VectorDeps) {
  if (deps.embedder) {
    app.route('/', embeddingsRoutes({ embedder: deps.embedder }))
    app.route('/', embedRoutes({ embedder: deps.embedder }))
  }
  if (deps.reranker)
    app.route(
      '/',
      rerankRoutes({ reranker: deps.reranker, maxDocuments: deps.config.RERANK_MAX_DOCUMENTS ?? 1000 }),
    )
}
