import type { Logger } from '../../shared/logger.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import { MONITOR_CAPABILITIES } from './capabilities.ts'
import type { MonitorConfig } from './config.ts'

export const SERVICE_NAME = 'connectivity-monitor'

export interface MonitorDeps {
  config: Pick<MonitorConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES'>
  logger: Logger
  metrics?: Metrics
  shutdown?: AbortSignal
}

export function buildApp(deps: MonitorDeps): ServiceApp {
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [],
    capabilities: MONITOR_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
  })
  return createService({
    name: SERVICE_NAME,
    description: 'Probes, passive outcome intake, outage log and uptime.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
  })
}
