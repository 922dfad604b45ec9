/**
 * swap-controller: the Sparks' inventory and node views, the recipe catalog, the swap engine and the
 * stop, the swap-aware chat proxy, model management, the swap lock, schedule registry and audit
 * history, telemetry and live logs — each route group mounted when main.ts (or a test) provides
 * what it needs. `buildApp` is pure: it wires the given adapters and starts nothing.
 */
import type { Logger } from '../../shared/logger.ts'
import { methodNotAllowed } from '../../shared/method-not-allowed.ts'
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
import type { NimInstaller } from './domain/ops/nim-install.ts'
import type { PatchOps } from './domain/ops/patches/service.ts'
import type { EarlierServices } from './domain/ops/services-earlier.ts'
import type { SweepService } from './domain/ops/sweep/service.ts'
import type { SwapEngine } from './domain/swap/engine.ts'
import { swapAuditRoutes } from './routes/audit.ts'
import { type CatalogRouteDeps, catalogRoutes } from './routes/catalog.ts'
import { type ChatRouteDeps, chatRoutes } from './routes/chat.ts'
import { historyRoutes } from './routes/history.ts'
import { lockRoutes } from './routes/lock.ts'
import { logsRoutes } from './routes/logs.ts'
import { modelsRoutes } from './routes/models.ts'
import { nimRoutes } from './routes/nim.ts'
import { nodesRoutes } from './routes/nodes.ts'
import { opsPatchesRoutes } from './routes/ops-patches.ts'
import { type OpsServicesRouteDeps, opsServicesRoutes } from './routes/ops-services.ts'
import { opsSweepRoutes } from './routes/ops-sweep.ts'
import { scheduleRoutes } from './routes/schedule.ts'
import { servicesEarlierRoutes } from './routes/services-earlier.ts'
import { swapRoutes } from './routes/swap.ts'
import { swapEarlierRoutes } from './routes/swap-earlier.ts'
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
  /** Concurrency sweeps of the speech and embeddings backends; `/api/ops/sweeps*` when given. */
  sweep?: SweepService
  /** The Spark container patches; `GET /api/ops/patches` and `POST /api/ops/patches/apply` when given. */
  patches?: PatchOps
  /** The earlier service tiles; `GET /api/services` and `POST /api/services/{name}/{action}` when given. */
  earlierServices?: EarlierServices
  /** NVIDIA NIM install; `POST /api/nim/install` when given. */
  nim?: NimInstaller
  /** The Spark service containers; `GET /api/ops/services`, restart and logs when given. */
  ops?: OpsServicesRouteDeps
}

export function buildApp(deps: SwapControllerDeps): ServiceApp {
  const app = swapControllerService(deps)
  for (const group of routeGroups(deps)) app.route('/', group)
  // Last: only a request no route answered reaches it (405 + Allow for a known path, else 404).
  app.all('*', methodNotAllowed(app))
  return app
}

/** The service itself (`/health`, `/ready`, `/metrics`, errors, limits), before any route group. */
export function swapControllerService(deps: SwapControllerDeps): ServiceApp {
  const { config, inventory } = deps
  const readiness = createReadiness({
    service: SERVICE_NAME,
    simulated: config.SIMULATED_CLUSTER,
    cacheMs: deps.readinessCacheMs,
    checks: [vllmCheck(deps.vllm, config.DISABLED_SERVICES), ...nodeChecks(inventory, deps.ssh)],
    capabilities: SWAP_CONTROLLER_CAPABILITIES,
  })
  return createService({
    name: SERVICE_NAME,
    description: 'Model catalog, swap state machine, vLLM lifecycle over SSH, GPU/host telemetry.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  })
}

/**
 * Every route group the deps provide. Their order does not matter: no path parameter can take a
 * literal sibling's requests (`/api/swap/{id}` matches only a job id, routes/param-patterns.ts),
 * which routes/route-order.test.ts checks by mounting these groups in reverse.
 */
export function routeGroups(deps: SwapControllerDeps): ServiceApp[] {
  const { config, inventory } = deps
  const simulated = config.SIMULATED_CLUSTER
  const loadedModels = (signal?: AbortSignal) => deps.vllm.listModels(signal)
  const nodes = createNodeStatus({
    inventory,
    ssh: deps.ssh,
    timeoutMs: deps.probeTimeoutMs,
    cacheMs: deps.nodeCacheMs,
  })
  const groups = [nodesRoutes({ nodes, simulated })]
  if (deps.swap) {
    const engine = deps.swap
    groups.push(
      swapRoutes({ engine, lockGate: deps.coordination && ((t) => deps.coordination?.assertSwapAllowed(t)) }),
      swapEarlierRoutes({ engine, logs: deps.logTail }),
      swapStopRoutes({ engine }),
    )
  }
  if (deps.telemetry) groups.push(telemetryRoutes({ telemetry: deps.telemetry, simulated }))
  if (deps.logTail) groups.push(logsRoutes({ logs: deps.logTail }))
  if (deps.catalog)
    groups.push(catalogRoutes({ ...deps.catalog, loadedModels, simulated, menu: deps.models?.menu }))
  if (deps.models) groups.push(modelsRoutes({ models: deps.models }))
  if (deps.coordination) {
    const coordination = deps.coordination
    groups.push(
      ...[lockRoutes, historyRoutes, scheduleRoutes, swapAuditRoutes].map((routes) =>
        routes({ coordination }),
      ),
    )
  }
  if (deps.earlierServices) groups.push(servicesEarlierRoutes({ services: deps.earlierServices }))
  if (deps.nim) groups.push(nimRoutes({ nim: deps.nim }))
  if (deps.patches) groups.push(opsPatchesRoutes({ patches: deps.patches, simulated }))
  if (deps.sweep) groups.push(opsSweepRoutes({ sweeps: deps.sweep }))
  if (deps.ops) groups.push(opsServicesRoutes(deps.ops))
  if (deps.chat)
    groups.push(chatRoutes({ ...deps.chat, engine: deps.swap, catalog: deps.catalog?.recipes, loadedModels }))
  return groups
}
