/**
 * Which nodes a running swap or stop is touching now, from the swap engine. A swap's teardown runs
 * on every node with an SSH user (the previous model may span them all), and a stop is all
 * teardown; once the new model is launching, a solo run uses only the head while a cluster run
 * uses every node. A rollback tears down and launches again: all nodes.
 */
import type { SparkNode } from '../../domain/inventory.ts'
import type { SwapActivity } from '../../domain/ops/ports.ts'
import type { JobView } from '../../domain/swap/view.ts'

const TEARDOWN_STATES: readonly string[] = ['draining', 'stopping', 'verifying-stopped']

export function busyNodesOf(
  job: Pick<JobView, 'outcome' | 'status' | 'mode' | 'rollback'> | null,
  stopping: boolean,
  nodes: readonly Pick<SparkNode, 'name' | 'user' | 'role'>[],
): string[] {
  const reachable = nodes.filter((n) => n.user !== null)
  const all = reachable.map((n) => n.name)
  if (stopping) return all
  if (job?.outcome !== 'running') return []
  if (job.mode === 'cluster' || job.rollback || TEARDOWN_STATES.includes(job.status)) return all
  return reachable.filter((n) => n.role === 'head').map((n) => n.name)
}

export function createSwapActivity(deps: {
  engine: { state(): JobView | null; stopInProgress(): boolean }
  nodes: readonly Pick<SparkNode, 'name' | 'user' | 'role'>[]
}): SwapActivity {
  return { busyNodes: () => busyNodesOf(deps.engine.state(), deps.engine.stopInProgress(), deps.nodes) }
}
