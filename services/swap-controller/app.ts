/**
 * swap-controller: today the foundation — readiness of vLLM and of every Spark node, and the
 * read-only node view. The swap state machine, catalog, telemetry history and chat proxy build
 * on these adapters later.
 */
import type { Logger } from '../../shared/logger.ts'
import type { Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import type { SshNodes } from '../../shared/ssh/types.ts'
import type { LogTail } from './adapters/log-tail.ts'
import { createNodeStatus } from './adapters/node-status.ts'
import { nodeChecks, vllmCheck } from './adapters/readiness-checks.ts'
import type { TelemetryPoller } from './adapters/telemetry-poller.ts'
import type { VllmClient } from './adapters/vllm-client.ts'
import { SWAP_CONTROLLER_CAPABILITIES } from './capabilities.ts'
import type { SwapControllerConfig } from './config.ts'
import type { Coordination } from './domain/coordination/service.ts'
import type { Inventory } from './domain/inventory.ts'
import type { ModelService } from './domain/models/service.ts'
import type { SwapEngine } from './domain/swap/engine.ts'
import { type CatalogRouteDeps, catalogRoutes } from './routes/catalog.ts'
import { type ChatRouteDeps, chatRoutes } from './routes/chat.ts'
import { historyRoutes } from './routes/history.ts'
import { lockRoutes } from './routes/lock.ts'
import { logsRoutes } from './routes/logs.ts'
import { methodNotAllowed } from './routes/method-not-allowed.ts'
import { modelsRoutes } from './routes/models.ts'
import { nodesRoutes } from './routes/nodes.ts'
import { scheduleRoutes } from './routes/schedule.ts'
import { swapRoutes } from './routes/swap.ts'
import { swapLegacyRoutes } from './routes/swap-legacy.ts'
import { swapStopRoutes } from './routes/swap-stop.ts'
import { telemetryRoutes } from './routes/telemetry.ts'

export const SERVICE_NAME = 'swap-controller'

export interface SwapControllerDeps {
  config: Pick<SwapControllerConfig, 'SIMULATED_CLUSTER' | 'BODY_LIMIT_BYTES' | 'DISABLED_SERVICES'>
  inventory: Inventory
  ssh: SshNodes
  vllm: VllmClient
  logger: Logger
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Budget of each node probe (SSH command); default 5 s. */
  probeTimeoutMs?: number
  /** How long a node view is reused; default 1 s. */
  nodeCacheMs?: number
  /** How long a readiness report is reused; default 500 ms (tests pass 0). */
  readinessCacheMs?: number
  /** Node and vLLM telemetry (started by main.ts); its routes are mounted when given. */
  telemetry?: TelemetryPoller
  /** Live container logs of every node; `/api/swap/logs` is mounted when given. */
  logTail?: LogTail
  /** Swap lock, schedule registry and audit history; their routes are mounted when given. */
  coordination?: Coordination
  /** Recipes and their load history; the catalog routes are mounted when given. */
  catalog?: Pick<CatalogRouteDeps, 'recipes' | 'history'>
  /** The swap engine; `POST /api/swap`, `/api/swap/{id}`, state, cancel and events are mounted when given. */
  swap?: SwapEngine
  /** The swap-aware chat proxy (`/v1/chat/completions`, `/v1/completions`, `/v1/models`); mounted when given. */
  chat?: Omit<ChatRouteDeps, 'engine' | 'loadedModels' | 'catalog'>
  /** Model management (add, delete, suggest, downloads; disk discovery in `GET /api/models`); mounted when given. */
  models?: ModelService
}

export function buildApp(deps: SwapControllerDeps): ServiceApp {
  const { config, inventory } = deps
  const readiness = createReadiness({
    service: SERVICE_NAME,
    simulated: config.SIMULATED_CLUSTER,
    cacheMs: deps.readinessCacheMs,
    checks: [vllmCheck(deps.vllm, config.DISABLED_SERVICES), ...nodeChecks(inventory, deps.ssh)],
    capabilities: SWAP_CONTROLLER_CAPABILITIES,
  })
  const app = createService({
    name: SERVICE_NAME,
    description: 'Model catalog, swap state machine, vLLM lifecycle over SSH, GPU/host telemetry.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  })
  const nodes = createNodeStatus({
    inventory,
    ssh: deps.ssh,
    timeoutMs: deps.probeTimeoutMs,
    cacheMs: deps.nodeCacheMs,
  })
  app.route('/', nodesRoutes({ nodes, simulated: config.SIMULATED_CLUSTER }))
  // Static `/api/swap/…` paths go before any `/api/swap/{id}` route, which would shadow them.
  if (deps.telemetry)
    app.route('/', telemetryRoutes({ telemetry: deps.telemetry, simulated: config.SIMULATED_CLUSTER }))
  if (deps.logTail) app.route('/', logsRoutes({ logs: deps.logTail }))
  if (deps.catalog)
    app.route(
      '/',
      catalogRoutes({
        ...deps.catalog,
        loadedModels: (s) => deps.vllm.listModels(s),
        simulated: config.SIMULATED_CLUSTER,
        menu: deps.models?.menu,
      }),
    )
  if (deps.models) app.route('/', modelsRoutes({ models: deps.models }))
  // Before any `/api/swap/{id}` route: the earlier version's lock was shadowed by it (fixed in v0.27).
  if (deps.coordination)
    for (const routes of [lockRoutes, historyRoutes, scheduleRoutes])
      app.route('/', routes({ coordination: deps.coordination }))
  if (deps.swap) app.route('/', swapStopRoutes({ engine: deps.swap }))
  // After the telemetry routes: `/api/swap/telemetry/stream` has the shape of `/api/swap/{id}/stream`.
  if (deps.swap) app.route('/', swapLegacyRoutes({ engine: deps.swap, logs: deps.logTail }))
  // Last: its `/api/swap/{id}` would shadow every static `/api/swap/...` path above.
  if (deps.swap) app.route('/', swapRoutes({ engine: deps.swap }))
  if (deps.chat)
    app.route(
      '/',
      chatRoutes({
        ...deps.chat,
        engine: deps.swap,
        catalog: deps.catalog?.recipes,
        loadedModels: (s) => deps.vllm.listModels(s),
      }),
    )
  // Very last: only a request no route answered reaches it (405 + Allow for a known path, else 404).
  app.all('*', methodNotAllowed(app))
  return app
}
