/**
 * What the catalog knows about each recipe file. A file that fails any check becomes an
 * `InvalidRecipe` carrying every reason; nothing is dropped silently.
 */
import type { RecipeFile } from './schema.ts'

export type RunMode = 'solo' | 'cluster'

export interface Placement {
  mode: RunMode
  nodes: number
  /** Estimated unified memory needed on EACH of those nodes (see memory.ts for the formula). */
  memoryNeedBytes: number
  weightsShareBytes: number
  kvShareBytes: number
}

export type PortSource = 'spark_control' | 'defaults' | 'command' | 'vllm_default'

export interface Recipe {
  valid: true
  /** File stem; what `run-recipe.sh <key>` takes. */
  key: string
  file: string
  name: string
  description: string | null
  /** Hugging Face id; null for a local model. Exactly one of `model` and `localPath` is set. */
  model: string | null
  localPath: string | null
  container: string
  /** Where it can run; from solo_only/cluster_only, narrowed by `spark_control.mode`. */
  modes: RunMode[]
  /** The mode a swap uses unless told otherwise: a recipe asking for tensor parallelism runs clustered. */
  defaultMode: RunMode
  /** Nodes the default mode takes. */
  nodesNeeded: number
  /** One entry per mode in `modes`. Solo runs take one node (the launcher passes `--tp 1`). */
  placements: Placement[]
  /** What `/v1/models` lists once loaded: override, else `--served-model-name`, else what vLLM serves. */
  servedModelName: string
  /** Override, else `defaults.port`, else `--port` in the command, else vLLM's 8000. */
  port: number
  portSource: PortSource
  gpuMemoryUtilization: number
  maxModelLen: number | null
  tensorParallel: number
  pipelineParallel: number
  weightsGib: number | null
  /** Memory need per node in the default mode. */
  memoryNeedBytes: number
  /** May the chat proxy swap to this recipe when a request names it. */
  onDemand: boolean
  /** Once loaded, how long before an on-demand request may swap it out again. */
  minResidencyS: number
  /** Things that do not stop a launch but are worth knowing (estimate gaps, mismatches). */
  warnings: string[]
  /** The command as vLLM will see it: rendered with defaults and our port/memory/context overrides. */
  argv: string[]
  /** The file as eugr reads it, kept for the launcher (command template, env, mods, build_args, …). */
  raw: RecipeFile
}

export interface InvalidRecipe {
  valid: false
  key: string
  file: string
  /** The display name when the file had a readable one. */
  name: string | null
  /** Plain-language sentences, each naming the field. */
  reasons: string[]
}

export type CatalogEntry = Recipe | InvalidRecipe

/** A recipe directory as the catalog read it. */
export interface CatalogSnapshot {
  dir: string
  entries: CatalogEntry[]
  /** Directory-level remarks (files beyond the limit, …); per-file problems are in the entries. */
  notes: string[]
  readAt: string
}

/** Where recipes come from (the directory adapter in production, fakes in tests). */
export interface RecipeCatalog {
  snapshot(): Promise<CatalogSnapshot>
}

export interface LoadRecord {
  started_at: string
  outcome: string
  total_s: number
  /** Seconds per phase, e.g. `{ weights: 41.2, compile: 63.0 }`. */
  phases: Record<string, number>
}

/** Past loads of a recipe, newest first (implemented over SQLite by the swap history). */
export interface LoadHistory {
  recentLoads(key: string, limit: number): Promise<LoadRecord[]>
}
