/**
 * Every target the monitor watches, built from configuration alone (pure): the Spark Control
 * services, the Spark nodes, the upstreams on them, and the owner's own (`MONITOR_TARGETS`).
 * Configuration that cannot be right throws `ConfigError` (the service stops at start, naming the
 * key); what is merely missing comes back as warnings for the start-up log.
 */
import { ConfigError } from '../../../../shared/config.ts'
import type { MonitorConfig } from '../../config.ts'
import type { Target } from '../ports.ts'
import { withCustomTargets } from './custom.ts'
import { type NodesConfig, nodeWarnings, type WatchedNode, watchedNodes } from './nodes.ts'
import { serviceTargets } from './services.ts'
import { type UpstreamsConfig, upstreamTargets } from './upstreams.ts'

export type TargetsConfig = NodesConfig &
  UpstreamsConfig &
  Pick<MonitorConfig, 'serviceUrls' | 'MONITOR_TARGETS' | 'DISABLED_SERVICES'>

function nodeTarget(node: WatchedNode, disabled: boolean): Target {
  const address = { host: node.host, port: node.sshPort }
  return {
    id: node.name,
    kind: 'node',
    title: `Spark node ${node.name}`,
    host: null,
    legacySubject: node.legacySubject,
    origins: [],
    tcp: address,
    ssh: address,
    disabled,
  }
}

function assertUniqueIds(targets: readonly Target[]): void {
  const seen = new Set<string>()
  const problems: string[] = []
  for (const t of targets) {
    if (seen.has(t.id))
      problems.push(
        `SPARK_NODES: node name ${t.id} is also the name of a service or upstream; rename the node`,
      )
    seen.add(t.id)
  }
  if (problems.length > 0) throw new ConfigError(problems)
}

export function buildTargets(config: TargetsConfig): { targets: Target[]; warnings: string[] } {
  const off = config.DISABLED_SERVICES
  const isDisabled = (id: string, legacy: string | null = null) =>
    off.has(id.toLowerCase()) || (legacy !== null && off.has(legacy))
  const nodes = watchedNodes(config)
  const upstreams = upstreamTargets(config, nodes)
  const builtIn = [
    ...serviceTargets(config),
    ...nodes.map((n) => nodeTarget(n, isDisabled(n.name, n.legacySubject))),
    ...upstreams.targets,
  ]
  assertUniqueIds(builtIn)
  const targets = withCustomTargets(
    builtIn,
    config.MONITOR_TARGETS,
    new Set(nodes.map((n) => n.name)),
    (id) => isDisabled(id),
  )
  return { targets, warnings: [...nodeWarnings(config, nodes), ...upstreams.warnings] }
}
