/**
 * The Spark service containers as main.ts wires them: the inventory of services (warnings logged
 * at start), the adapter over the node runner, the swap activity that guards restarts, the
 * auto-restart book seeded from the audit log (so its window outlives a restart of the
 * controller) and, when OPS_AUTO_RESTART is on, the loop.
 */
import type { Logger } from '../../../../shared/logger.ts'
import type { SwapControllerConfig } from '../../config.ts'
import type { Coordination } from '../../domain/coordination/service.ts'
import type { Inventory } from '../../domain/inventory.ts'
import { AutoRestartBook } from '../../domain/ops/auto-restart.ts'
import { buildServiceInventory, type ServiceInventoryConfig } from '../../domain/ops/inventory.ts'
import type { NodeCommandRunner, SwapActivity } from '../../domain/ops/ports.ts'
import type { OpsServicesRouteDeps } from '../../routes/ops-services.ts'
import { createServiceContainers, type ServiceContainersAdapter } from './containers.ts'
import { AUTO_RESTART_ACTION, entriesFromAudit, startAutoRestartLoop } from './containers-auto.ts'
import { createHealthProbe } from './containers-health.ts'

type OpsConfig = ServiceInventoryConfig &
  Pick<
    SwapControllerConfig,
    | 'SIMULATED_CLUSTER'
    | 'OPS_AUTO_RESTART'
    | 'OPS_AUTO_RESTART_MAX'
    | 'OPS_AUTO_RESTART_WINDOW_S'
    | 'OPS_HEALTH_INTERVAL_MS'
    | 'OPS_WEDGE_FAILURES'
    | 'OPS_HEALTH_TIMEOUT_MS'
    | 'OPS_RESTART_GRACE_S'
    | 'OPS_RESTART_HEALTH_WAIT_S'
  >

export interface ServiceContainersSetup {
  containers: ServiceContainersAdapter
  swaps: SwapActivity
  routes: OpsServicesRouteDeps
  close(): void
}

export function setUpServiceContainers(
  config: OpsConfig,
  deps: {
    inventory: Pick<Inventory, 'nodes'>
    runner: NodeCommandRunner
    swaps: SwapActivity
    coordination: Pick<Coordination, 'recordAudit' | 'history'>
    logger: Logger
  },
): ServiceContainersSetup {
  const { entries, warnings } = buildServiceInventory(config, deps.inventory.nodes)
  for (const warning of warnings) deps.logger.warn(warning)
  const policy = {
    enabled: config.OPS_AUTO_RESTART,
    max: config.OPS_AUTO_RESTART_MAX,
    windowMs: config.OPS_AUTO_RESTART_WINDOW_S * 1000,
    wedgeFailures: config.OPS_WEDGE_FAILURES,
  }
  const past = entriesFromAudit(deps.coordination.history(200, { actions: [AUTO_RESTART_ACTION] }))
  const book = new AutoRestartBook(policy, Date.now, past)
  const probe = createHealthProbe({ timeoutMs: config.OPS_HEALTH_TIMEOUT_MS })
  const audit = (entry: Parameters<Coordination['recordAudit']>[0]) => {
    deps.coordination.recordAudit(entry)
  }
  const containers = createServiceContainers({
    entries,
    runner: deps.runner,
    swaps: deps.swaps,
    audit,
    probe,
    book,
    graceS: config.OPS_RESTART_GRACE_S,
    healthWaitMs: config.OPS_RESTART_HEALTH_WAIT_S * 1000,
  })
  const loop = policy.enabled
    ? startAutoRestartLoop({
        entries,
        containers,
        book,
        probe,
        swaps: deps.swaps,
        audit,
        intervalMs: config.OPS_HEALTH_INTERVAL_MS,
        logger: deps.logger,
      })
    : null
  return {
    containers,
    swaps: deps.swaps,
    routes: { containers, autoRestart: policy, simulated: config.SIMULATED_CLUSTER },
    close: () => loop?.stop(),
  }
}
