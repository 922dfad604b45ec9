import type { Logger } from '../../shared/logger.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import { mapStoreCheck } from './adapters/map-store.ts'
import { REDACTION_CAPABILITIES } from './capabilities.ts'
import type { RedactionConfig } from './config.ts'

export const SERVICE_NAME = 'redaction-gateway'

export interface RedactionDeps {
  config: Pick<RedactionConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES' | 'REDACTION_MAP_DB'>
  logger: Logger
  metrics?: Metrics
  shutdown?: AbortSignal
}

export function buildApp(deps: RedactionDeps): ServiceApp {
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [mapStoreCheck(deps.config.REDACTION_MAP_DB)],
    capabilities: REDACTION_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
  })
  return createService({
    name: SERVICE_NAME,
    description: 'Scrubs PII from text before it leaves, and puts it back in the answers.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
  })
}
