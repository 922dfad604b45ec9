/**
 * The model menu of `GET /api/models` (v0.27 semantics): every launchable recipe, marked with
 * whether its weights are on the Sparks, plus every on-disk model and custom card that no recipe
 * launches, as `needs_setup` with settings inferred from its config.json. Recipes and disk are
 * matched by Hugging Face repo id (case-insensitively, as the Hub treats ids).
 */

import { estimateMemory, GIB, VLLM_DEFAULT_GPU_MEMORY_UTILIZATION } from '../catalog/memory.ts'
import type { CatalogEntry, Recipe } from '../catalog/types.ts'
import type { CustomModel } from './custom.ts'
import { cardFile } from './earlier-catalog.ts'
import type { InferredSettings } from './hf-config.ts'
import { keyForRepo, sameRepo } from './ids.ts'

/** One model as found on the nodes' disks. */
export interface DiskEntry {
  repo: string
  /** Nodes holding a snapshot of it, in inventory order. */
  nodes: string[]
  sizeBytes: number
  settings: InferredSettings
}

export interface DiskView {
  models: DiskEntry[]
  /** Nodes whose cache could not be read, with the reason. */
  failed: { node: string; error: string }[]
}

export interface MenuEntry {
  key: string
  name: string
  repo: string | null
  local_path: string | null
  served_model_name: string
  recipe: string | null
  needs_setup: boolean
  on_disk: boolean | null
  on_nodes: string[] | null
  size_bytes: number | null
  loaded: boolean
  solo_only: boolean
  cluster_only: boolean
  memory_need_bytes: number
  custom: boolean
  /** The earlier catalog file the card is defined in (`MODELS_YAML`), where it is edited; null otherwise. */
  card_file: string | null
  settings: InferredSettings | null
}

export interface MenuInput {
  entries: readonly CatalogEntry[]
  custom: readonly CustomModel[]
  /** Null when no disk scan is wired (unit tests) or every node failed. */
  disk: DiskView | null
  loaded: readonly string[] | null
  nodeMemoryBytes: number
}

const findDisk = (disk: DiskView | null, repo: string | null) =>
  repo ? disk?.models.find((d) => sameRepo(d.repo, repo)) : undefined

function diskFields(disk: DiskView | null, repo: string | null) {
  if (!disk || !repo) return { on_disk: null, on_nodes: null, size_bytes: null }
  const d = findDisk(disk, repo)
  return { on_disk: !!d, on_nodes: d?.nodes ?? [], size_bytes: d?.sizeBytes ?? null }
}

/** A model without a recipe: solo on one node, with vLLM's default memory budget. */
function soloNeed(weightsGib: number | null, nodeMemoryBytes: number): number {
  return estimateMemory({
    weightsGib,
    nodes: 1,
    gpuMemoryUtilization: VLLM_DEFAULT_GPU_MEMORY_UTILIZATION,
    nodeMemoryBytes,
  }).needBytes
}

export function buildMenu(input: MenuInput): MenuEntry[] {
  const serving = new Set(input.loaded ?? [])
  const recipes = input.entries.filter((e): e is Recipe => e.valid)
  const customByRepo = (repo: string | null) => input.custom.find((c) => sameRepo(c.repo, repo))
  const menu: MenuEntry[] = recipes.map((e) => ({
    key: e.key,
    name: e.name,
    repo: e.model,
    local_path: e.localPath,
    served_model_name: e.servedModelName,
    recipe: e.key,
    needs_setup: false,
    ...diskFields(input.disk, e.model),
    loaded: serving.has(e.servedModelName),
    solo_only: !e.modes.includes('cluster'),
    cluster_only: !e.modes.includes('solo'),
    memory_need_bytes: e.memoryNeedBytes,
    custom: !!customByRepo(e.model),
    card_file: cardFile(customByRepo(e.model)),
    settings: null,
  }))
  const launched = (repo: string | null, path: string | null) =>
    recipes.some((r) => (repo && sameRepo(r.model, repo)) || (path && r.localPath === path))
  const taken = new Set(menu.map((m) => m.key))
  for (const c of input.custom) {
    if (launched(c.repo, c.local_path) || taken.has(c.key)) continue
    const d = findDisk(input.disk, c.repo)
    const settings = d ? { ...d.settings, max_model_len: c.max_model_len ?? d.settings.max_model_len } : null
    taken.add(c.key)
    menu.push({
      key: c.key,
      name: c.name,
      repo: c.repo,
      local_path: c.local_path,
      served_model_name: c.served_model_name,
      recipe: null,
      needs_setup: true,
      ...diskFields(input.disk, c.repo),
      loaded: serving.has(c.served_model_name),
      solo_only: false,
      cluster_only: false,
      memory_need_bytes: soloNeed(settings?.weights_gib ?? null, input.nodeMemoryBytes),
      custom: true,
      card_file: cardFile(c),
      settings,
    })
  }
  for (const d of input.disk?.models ?? []) {
    if (launched(d.repo, null) || customByRepo(d.repo)) continue
    const key = keyForRepo(d.repo)
    if (taken.has(key)) continue
    taken.add(key)
    menu.push({
      key,
      name: d.repo.split('/')[1] as string,
      repo: d.repo,
      local_path: null,
      served_model_name: d.repo,
      recipe: null,
      needs_setup: true,
      on_disk: true,
      on_nodes: d.nodes,
      size_bytes: d.sizeBytes,
      loaded: serving.has(d.repo),
      solo_only: false,
      cluster_only: false,
      memory_need_bytes: soloNeed(
        d.settings.weights_gib ?? (d.sizeBytes > 0 ? d.sizeBytes / GIB : null),
        input.nodeMemoryBytes,
      ),
      custom: false,
      card_file: null,
      settings: d.settings,
    })
  }
  return menu
}
