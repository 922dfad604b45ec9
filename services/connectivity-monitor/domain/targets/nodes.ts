/**
 * The Spark nodes to watch, from the keys the swap-controller reads: `SPARK_NODES` when set, else
 * the earlier pair (`SPARK1_HOST` the head, `SPARK2_HOST` a worker). Unlike the swap-controller,
 * a node needs no SSH user here: the monitor only reads its SSH banner, it never logs in.
 */
import type { NodeEntry } from '../../../../shared/inventory-nodes.ts'
import type { MonitorConfig } from '../../config.ts'
import { bareHost } from './address.ts'

export type NodesConfig = Pick<
  MonitorConfig,
  'SPARK_NODES' | 'SPARK1_HOST' | 'SPARK1_SSH_PORT' | 'SPARK2_HOST' | 'SPARK2_SSH_PORT'
>

export interface WatchedNode {
  name: string
  host: string
  sshPort: number
  role: NodeEntry['role']
  /** `spark1` / `spark2`: the subject the earlier `connectivity.json` used for this node, or null. */
  legacySubject: string | null
}

/** `spark-1`, `spark1` → `spark1`: the earlier version knew two nodes by these subjects. */
function legacySubjectOf(name: string): string | null {
  const m = /^spark-?([12])$/i.exec(name)
  return m ? `spark${m[1]}` : null
}

export function watchedNodes(c: NodesConfig): WatchedNode[] {
  if (c.SPARK_NODES) {
    return c.SPARK_NODES.map((n) => ({
      name: n.name,
      host: bareHost(n.host),
      sshPort: n.ssh_port,
      role: n.role,
      legacySubject: legacySubjectOf(n.name),
    }))
  }
  const pair = [
    { name: 'spark-1', host: c.SPARK1_HOST, sshPort: c.SPARK1_SSH_PORT, role: 'head' as const },
    { name: 'spark-2', host: c.SPARK2_HOST, sshPort: c.SPARK2_SSH_PORT, role: 'worker' as const },
  ]
  return pair.flatMap((p) =>
    p.host ? [{ ...p, host: bareHost(p.host), legacySubject: legacySubjectOf(p.name) }] : [],
  )
}

export function nodeWarnings(c: NodesConfig, nodes: readonly WatchedNode[]): string[] {
  const warnings: string[] = []
  if (c.SPARK_NODES && (c.SPARK1_HOST || c.SPARK2_HOST))
    warnings.push(
      'SPARK_NODES is set, so SPARK1_HOST and SPARK2_HOST name no node here (SPARK2_HOST still places the speech, embeddings and Qdrant servers, as their services read it)',
    )
  if (nodes.length === 0)
    warnings.push('no Spark node is configured (SPARK1_HOST, SPARK2_HOST or SPARK_NODES): no node is watched')
  return warnings
}

/** The node an upstream usually runs on: vLLM on the head; the others on `spark-2`, else the first worker. */
function usualNode(nodes: readonly WatchedNode[], onHead: boolean): WatchedNode | undefined {
  if (onHead) return nodes.find((n) => n.role === 'head')
  return nodes.find((n) => n.name === 'spark-2') ?? nodes.find((n) => n.role === 'worker')
}

/**
 * The node an upstream at `host` runs on: its usual node when the host is that node's, else any
 * node with that host, else none. The usual node is asked first because in the simulator (and on
 * a single box) every node has the same host.
 */
export function nodeFor(nodes: readonly WatchedNode[], host: string, onHead: boolean): string | null {
  const usual = usualNode(nodes, onHead)
  if (usual?.host === host) return usual.name
  return nodes.find((n) => n.host === host)?.name ?? null
}
