/**
 * The "Configure Sparks" form: what it is prefilled with and how its answer becomes the store's
 * node list. Validated by the product's own rule for `SPARK_NODES` (shared/inventory-nodes.ts:
 * exactly one head, unique names, host and user patterns), so what the form accepts the services
 * accept at start. Pure: no SDK import.
 */
import { sparkNodesEnv } from '../../../shared/inventory-nodes.ts'
import type { SparkNode } from '../env.ts'
import { ActionRefusal } from './result.ts'

/** How many nodes the form takes; a home cluster has two, the product has no limit of its own. */
export const MAX_SPARKS = 16

export interface SparkNodeInput {
  name: string
  host: string
  user: string
  ssh_port: number
  role: 'head' | 'worker'
}

/** The earlier version's two Sparks: the first runs vLLM (head), the second the speech and data services. */
const FIRST_TWO: Array<Partial<SparkNodeInput>> = [
  { name: 'spark-1', ssh_port: 22, role: 'head' },
  { name: 'spark-2', ssh_port: 22, role: 'worker' },
]

export function sparksPrefill(stored: readonly SparkNode[]): { nodes: Array<Partial<SparkNodeInput>> } {
  return { nodes: stored.length > 0 ? stored.map((n) => ({ ...n })) : FIRST_TWO.map((n) => ({ ...n })) }
}

const FIELD_LABELS: Record<string, string> = {
  name: 'name',
  host: 'host',
  user: 'SSH user',
  ssh_port: 'SSH port',
  role: 'role',
}

/** The nodes to store, or an `ActionRefusal` naming each node and field that is wrong. */
export function normaliseSparks(input: { nodes: readonly SparkNodeInput[] }): SparkNode[] {
  const nodes = input.nodes.map((n) => ({
    name: n.name.trim(),
    host: n.host.trim(),
    user: n.user.trim(),
    ssh_port: n.ssh_port,
    role: n.role,
  }))
  if (nodes.length === 0) throw new ActionRefusal('Add at least one Spark: the head that runs vLLM.')
  if (nodes.length > MAX_SPARKS) throw new ActionRefusal(`At most ${MAX_SPARKS} Sparks can be configured.`)
  const parsed = sparkNodesEnv().safeParse(JSON.stringify(nodes))
  if (!parsed.success) {
    const sentences = parsed.error.issues.map((issue) => {
      const [index, field] = issue.path as [number | undefined, string | undefined]
      if (index === undefined) return `The list ${issue.message}.`
      const node = nodes[index]
      const which = `Spark ${index + 1}${node?.name ? ` (${node.name})` : ''}`
      return `${which}, ${FIELD_LABELS[field ?? ''] ?? field ?? 'entry'}: ${issue.message}.`
    })
    throw new ActionRefusal(sentences.join(' '))
  }
  return (parsed.data ?? []).map((n) => ({ ...n }))
}
