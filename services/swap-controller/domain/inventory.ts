/**
 * The node list, built from configuration and nothing else (pure). Two sources:
 * - `SPARK_NODES` (JSON, any number of nodes) when set;
 * - otherwise the earlier version's pair: `SPARK1_*` is the head (it serves vLLM), `SPARK2_*` a
 *   worker. A pair member with no host is left out; one with a host but no user is kept and
 *   reported as not configured, so the dashboard can say what is missing.
 */
import type { NodeEntry } from '../../../shared/inventory-nodes.ts'
import type { SshTarget } from '../../../shared/ssh/types.ts'

export type NodeRole = 'head' | 'worker'

export interface SparkNode {
  name: string
  host: string
  /** Null when no SSH user is configured: the node is listed but not reachable over SSH. */
  user: string | null
  sshPort: number
  role: NodeRole
  /** eugr/spark-vllm-docker checkout on this node, `~` resolved for its user. */
  dockerDir: string | null
}

export interface VllmEndpoint {
  host: string | null
  port: number
  container: string
  /** `http://<host>:<port>` without `/v1`, or null when no host is known. */
  baseUrl: string | null
}

export interface Inventory {
  source: 'SPARK_NODES' | 'SPARK1/SPARK2'
  nodes: SparkNode[]
  head: SparkNode | null
  vllm: VllmEndpoint
  /** Plain-language notes for the log at start (never fatal). */
  warnings: string[]
}

export interface InventoryConfig {
  SPARK1_HOST?: string | undefined
  SPARK1_USER?: string | undefined
  SPARK1_SSH_PORT: number
  SPARK2_HOST?: string | undefined
  SPARK2_USER?: string | undefined
  SPARK2_SSH_PORT: number
  SPARK_NODES?: NodeEntry[] | undefined
  VLLM_HOST?: string | undefined
  VLLM_PORT: number
  VLLM_CONTAINER: string
  SPARK_VLLM_DOCKER_DIR: string
}

/** `~/x` → `/home/<user>/x` (`/root/x` for root); absolute paths are used as they are. */
export function resolveDockerDir(setting: string, user: string | null): string | null {
  if (!setting.startsWith('~/')) return setting
  if (!user) return null
  return `${user === 'root' ? '/root' : `/home/${user}`}/${setting.slice(2)}`
}

/** Hosts in URLs: IPv6 literals need brackets. */
export const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host)

function pairNodes(c: InventoryConfig): SparkNode[] {
  const pair = [
    {
      name: 'spark-1',
      host: c.SPARK1_HOST,
      user: c.SPARK1_USER,
      port: c.SPARK1_SSH_PORT,
      role: 'head' as const,
    },
    {
      name: 'spark-2',
      host: c.SPARK2_HOST,
      user: c.SPARK2_USER,
      port: c.SPARK2_SSH_PORT,
      role: 'worker' as const,
    },
  ]
  return pair
    .filter((p) => p.host)
    .map((p) => ({
      name: p.name,
      host: p.host!,
      user: p.user ?? null,
      sshPort: p.port,
      role: p.role,
      dockerDir: resolveDockerDir(c.SPARK_VLLM_DOCKER_DIR, p.user ?? null),
    }))
}

function listedNodes(entries: NodeEntry[], dockerDir: string): SparkNode[] {
  return entries.map((e) => ({
    name: e.name,
    host: e.host,
    user: e.user,
    sshPort: e.ssh_port,
    role: e.role,
    dockerDir: resolveDockerDir(dockerDir, e.user),
  }))
}

function warningsFor(c: InventoryConfig, nodes: SparkNode[], head: SparkNode | null): string[] {
  const warnings: string[] = []
  for (const n of nodes) {
    if (n.host.endsWith('.local'))
      warnings.push(
        `${n.name}: ${n.host} is an mDNS name; use its IP address (.local names resolve IPv6-first and can hang)`,
      )
    if (!n.user)
      warnings.push(
        `${n.name}: no SSH user configured (${n.name === 'spark-1' ? 'SPARK1_USER' : 'SPARK2_USER'}); it is listed but not reachable`,
      )
  }
  if (c.SPARK_NODES && (c.SPARK1_HOST || c.SPARK2_HOST))
    warnings.push('SPARK_NODES is set, so SPARK1_* and SPARK2_* are ignored')
  if (!head && !c.VLLM_HOST)
    warnings.push('no head node (SPARK1_HOST) and no VLLM_HOST: vLLM is not configured')
  return warnings
}

export function buildInventory(c: InventoryConfig): Inventory {
  const fromList = c.SPARK_NODES !== undefined
  const nodes = fromList ? listedNodes(c.SPARK_NODES!, c.SPARK_VLLM_DOCKER_DIR) : pairNodes(c)
  const head = nodes.find((n) => n.role === 'head') ?? null
  const vllmHost = c.VLLM_HOST ?? head?.host ?? null
  return {
    source: fromList ? 'SPARK_NODES' : 'SPARK1/SPARK2',
    nodes,
    head,
    vllm: {
      host: vllmHost,
      port: c.VLLM_PORT,
      container: c.VLLM_CONTAINER,
      baseUrl: vllmHost ? `http://${urlHost(vllmHost)}:${c.VLLM_PORT}` : null,
    },
    warnings: warningsFor(c, nodes, head),
  }
}

/** The nodes the SSH pool should know: those with a user. */
export function sshTargets(inventory: Inventory): SshTarget[] {
  return inventory.nodes
    .filter((n) => n.user)
    .map((n) => ({ name: n.name, host: n.host, port: n.sshPort, user: n.user! }))
}
