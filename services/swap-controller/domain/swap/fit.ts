/**
 * Pre-flight fit check: does the recipe's estimated need fit in what each node has available once
 * the model that is loaded now is stopped? Decided before anything is touched, so a swap that
 * cannot fit never takes the working model down.
 */
import type { Recipe, RunMode } from '../catalog/types.ts'

export type FitPolicy = 'refuse' | 'warn'

export interface NodeFit {
  node: string
  need_bytes: number
  available_bytes: number | null
  /**
   * What stopping the current model should give back on this node: its nominal need, capped by
   * what is in use there (MemTotal − MemAvailable), so available + freed never exceeds MemTotal.
   */
  freed_bytes: number
  /** MemTotal of the node, when it could be read. */
  total_bytes: number | null
  fits: boolean | null
}

export interface FitVerdict {
  fits: boolean
  policy: FitPolicy
  /** False only when the policy is `refuse` and it does not fit. */
  allowed: boolean
  per_node: NodeFit[]
  message: string
}

export interface FitInput {
  recipe: Recipe
  mode: RunMode
  /** Inventory node names, head first. */
  nodes: readonly string[]
  /** Live MemAvailable per node; a missing node is unknown (it could not be read). */
  available: Readonly<Record<string, number>>
  /** Live MemTotal per node; where known, it caps what stopping the current model can free. */
  total?: Readonly<Record<string, number>>
  /** The recipe loaded now, when known, and the mode it runs in. */
  current?: { recipe: Recipe; mode: RunMode } | null
  policy: FitPolicy
}

const GIB = 2 ** 30
const gib = (b: number) => `${(b / GIB).toFixed(1)} GiB`

/** Per-node need of a recipe in a mode, on the first N nodes (eugr trims a cluster to what it needs). */
export function needPerNode(recipe: Recipe, mode: RunMode, nodes: readonly string[]): Record<string, number> {
  const placement = recipe.placements.find((p) => p.mode === mode)
  const count = mode === 'solo' ? 1 : Math.max(1, placement?.nodes ?? nodes.length)
  const bytes = placement?.memoryNeedBytes ?? recipe.memoryNeedBytes
  return Object.fromEntries(nodes.slice(0, count).map((n) => [n, bytes]))
}

/**
 * The nominal need of the model being stopped (`gpu_memory_utilization` × node memory) is what it
 * may claim, not what it holds: a model that uses 37 GiB frees 37 GiB, not 91. Stopping can give
 * back at most what is in use on the node, which also keeps available + freed within MemTotal.
 */
export function freedOn(nominal: number, available: number | null, total: number | null): number {
  if (available === null || total === null) return nominal
  return Math.max(0, Math.min(nominal, total - available))
}

export function checkFit(input: FitInput): FitVerdict {
  const need = needPerNode(input.recipe, input.mode, input.nodes)
  const freed = input.current ? needPerNode(input.current.recipe, input.current.mode, input.nodes) : {}
  const perNode: NodeFit[] = Object.entries(need).map(([node, bytes]) => {
    const available = input.available[node] ?? null
    const total = input.total?.[node] ?? null
    const give = freedOn(freed[node] ?? 0, available, total)
    return {
      node,
      need_bytes: bytes,
      available_bytes: available,
      freed_bytes: give,
      total_bytes: total,
      fits: available === null ? null : available + give >= bytes,
    }
  })
  const short = perNode.filter((n) => n.fits === false)
  const unknown = perNode.filter((n) => n.fits === null)
  const fits = short.length === 0 && unknown.length === 0
  const allowed = fits || input.policy === 'warn'
  return { fits, policy: input.policy, allowed, per_node: perNode, message: describe(short, unknown) }
}

function describe(short: NodeFit[], unknown: NodeFit[]): string {
  if (short.length === 0 && unknown.length === 0)
    return 'Fits: every node has room once the current model is stopped.'
  const would = (n: NodeFit) => gib((n.available_bytes ?? 0) + n.freed_bytes)
  const parts = short.map((n) => `${n.node} needs ${gib(n.need_bytes)} but would have ${would(n)}`)
  for (const n of unknown) parts.push(`${n.node}: memory could not be read`)
  return `Does not fit: ${parts.join('; ')}.`
}
