/**
 * The earlier service tiles and NIM install as main.ts wires them, over the service containers:
 * each tile's address from the service inventory (`PARAKEET_URL`, …, else its node's host), a
 * second vLLM's model from its own `/v1/models`, and the NGC key read from configuration when an
 * install runs.
 */
import type { Dispatcher } from 'undici'
import type { Secret } from '../../../../shared/secret.ts'
import type { AuditInput } from '../../domain/coordination/ports.ts'
import type { Inventory } from '../../domain/inventory.ts'
import { buildServiceInventory, type ServiceInventoryConfig } from '../../domain/ops/inventory.ts'
import { createNimInstaller, type NimInstaller } from '../../domain/ops/nim-install.ts'
import type { NodeCommandRunner, ServiceContainers, SwapActivity } from '../../domain/ops/ports.ts'
import { createEarlierServices, type EarlierServices } from '../../domain/ops/services-earlier.ts'
import { serviceBaseUrl } from '../../domain/ops/services-earlier-view.ts'
import { createVllmClient } from '../vllm-client.ts'

export function setUpEarlierOps(
  config: ServiceInventoryConfig & { NGC_API_KEY?: Secret | undefined },
  deps: {
    inventory: Pick<Inventory, 'nodes'>
    containers: ServiceContainers
    swaps: SwapActivity
    runner: NodeCommandRunner
    audit: (entry: AuditInput) => void
    dispatcher: Dispatcher
  },
): { services: EarlierServices; nim: NimInstaller } {
  const { nodes } = deps.inventory
  // Pure and cheap: the same entries the containers adapter was built from (its warnings are logged there).
  const baseUrls = new Map(
    buildServiceInventory(config, nodes).entries.map((e) => [e.spec.name, serviceBaseUrl(e)]),
  )
  const services = createEarlierServices({
    containers: deps.containers,
    runner: deps.runner,
    swaps: deps.swaps,
    audit: deps.audit,
    node: (name) => nodes.find((n) => n.name === name),
    baseUrl: (name) => baseUrls.get(name) ?? null,
    listModels: (baseUrl, signal) =>
      createVllmClient({ baseUrl, dispatcher: deps.dispatcher, timeoutMs: 2000 }).listModels(signal),
  })
  const nim = createNimInstaller({
    runner: deps.runner,
    nodes: () => nodes,
    specs: () => deps.containers.specs(),
    swaps: deps.swaps,
    audit: deps.audit,
    ngcKey: () => config.NGC_API_KEY?.reveal(),
  })
  return { services, nim }
}
