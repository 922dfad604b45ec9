import type { AuditStore } from '../../shared/audit/store.ts'
import { OUTCOMES_PATH } from '../../shared/contracts/connectivity-monitor.ts'
import type { Logger } from '../../shared/logger.ts'
import { methodNotAllowed } from '../../shared/method-not-allowed.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness, type DependencyCheck } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import { MONITOR_CAPABILITIES } from './capabilities.ts'
import type { MonitorConfig } from './config.ts'
import type { MonitorEngine } from './domain/engine/engine.ts'
import type { Clock, History, Maintenance } from './domain/ports.ts'
import { mountAudit } from './routes/audit.ts'
import { eventRoutes } from './routes/events.ts'
import { intakeRoutes } from './routes/intake.ts'
import { maintenanceRoutes } from './routes/maintenance.ts'
import { readRoutes } from './routes/read.ts'

export const SERVICE_NAME = 'connectivity-monitor'

export interface MonitorDeps {
  config: Pick<MonitorConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES'>
  logger: Logger
  engine: MonitorEngine
  /** The history database; while it fails, outages and uptime answer 503 and /ready says why. */
  history: History
  maintenance: Maintenance
  clock?: Clock
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Stream tuning for tests. */
  events?: { heartbeatMs?: number; queueSize?: number; maxStreams?: number }
  /** The service's audit log (`kit.audit`): maintenance windows; absent, nothing is recorded. */
  audit?: AuditStore
}

export function buildApp(deps: MonitorDeps): ServiceApp {
  const clock = deps.clock ?? { now: () => Date.now() }
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [historyCheck(deps.history, clock)],
    capabilities: MONITOR_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
  })
  const app = createService({
    name: SERVICE_NAME,
    description: 'Probes, passive outcome intake, outage log and uptime.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: deps.config.BODY_LIMIT_BYTES,
    quietPaths: [OUTCOMES_PATH],
  })
  const { engine, history, maintenance } = deps
  mountAudit(app, deps.audit)
  app.route('/', intakeRoutes({ engine, clock }))
  app.route('/', readRoutes({ engine, history, clock, simulated: deps.config.SIMULATED_CLUSTER }))
  app.route('/', eventRoutes({ engine, clock, ...deps.events }))
  app.route('/', maintenanceRoutes({ maintenance, targets: engine.targets, clock }))
  // Last: a known path asked with another method is 405 with Allow, not 404 (shared/method-not-allowed.ts).
  app.all('*', methodNotAllowed(app))
  return app
}

/** The history database answers a read: what the outage and uptime routes need. */
function historyCheck(history: History, clock: Clock): DependencyCheck {
  return {
    name: 'history',
    check: async () => {
      const open = history.open(clock.now())
      return { state: 'up', detail: `${open.length} outage${open.length === 1 ? '' : 's'} open` }
    },
  }
}
