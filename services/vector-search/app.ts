import type { Logger } from '../../shared/logger.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import type { VectorUpstreams } from './adapters/upstreams.ts'
import { VECTOR_CAPABILITIES } from './capabilities.ts'
import type { VectorConfig } from './config.ts'

export const SERVICE_NAME = 'vector-search'

/** Readiness waits a little longer than a health probe, so the probe's own verdict is reported. */
const READINESS_MARGIN_MS = 1000

export interface VectorDeps {
  config: Pick<VectorConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES' | 'UPSTREAM_HEALTH_TIMEOUT_MS'>
  logger: Logger
  upstreams: VectorUpstreams
  metrics?: Metrics
  shutdown?: AbortSignal
}

export function buildApp(deps: VectorDeps): ServiceApp {
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [deps.upstreams.embeddings, deps.upstreams.qdrant],
    capabilities: VECTOR_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
    timeoutMs: deps.config.UPSTREAM_HEALTH_TIMEOUT_MS + READINESS_MARGIN_MS,
  })
  return createService({
    name: SERVICE_NAME,
    description: 'Embeddings, rerank and hybrid search over bge-m3 and Qdrant (or the embedded store).',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
  })
}
