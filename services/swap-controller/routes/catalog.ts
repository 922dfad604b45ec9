/**
 * The model catalog over HTTP:
 * - `GET /api/swap/models` — every recipe (invalid ones with their reasons), where it can run, its
 *   memory need, whether vLLM serves it now, and its past loads.
 * - `GET /api/models` — the earlier version's menu plus `recipes` list (shape in COMPATIBILITY.md).
 * vLLM being down (it is, mid-swap) or the history store failing never fails the catalog: the
 * affected fields fall back (`loaded: false`, `history: []`) and `notes` says why.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { GB10_NODE_MEMORY_BYTES } from '../domain/catalog/memory.ts'
import type { CatalogEntry, LoadHistory, LoadRecord, RecipeCatalog } from '../domain/catalog/types.ts'
import { buildMenu, type MenuEntry } from '../domain/models/menu.ts'
import type { ModelService } from '../domain/models/service.ts'
import { detail, earlierModelList, problem, type swapModel, swapModelList } from './catalog-schemas.ts'

export interface CatalogRouteDeps {
  recipes: RecipeCatalog
  history: LoadHistory
  /** Served model ids vLLM lists in `/v1/models` right now. */
  loadedModels(signal?: AbortSignal): Promise<string[]>
  simulated: boolean
  /** Model management: on-disk models and custom cards in the menu (`needs_setup`); absent = recipes only. */
  menu?: ModelService['menu']
}

const swapModelsRoute = createRoute({
  method: 'get',
  path: '/api/swap/models',
  tags: ['swap'],
  summary: 'Every recipe: where it runs, memory need, loaded or not, past loads',
  request: {
    query: z.object({
      history: z.coerce
        .number()
        .int()
        .min(0)
        .max(50)
        .default(5)
        .openapi({
          param: { name: 'history', in: 'query' },
          description: 'Past loads per recipe (0-50).',
          example: 5,
        }),
    }),
  },
  responses: {
    200: jsonContent('The catalog', swapModelList),
    422: problem('Invalid query'),
    503: problem('The recipe directory cannot be read'),
  },
})

const earlierModelsRoute = createRoute({
  method: 'get',
  path: '/api/models',
  tags: ['swap'],
  summary: 'Model menu and recipe list (earlier API)',
  responses: {
    200: jsonContent('Menu and recipes', earlierModelList),
    503: detail('The recipe directory cannot be read'),
  },
})

const why = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300)

async function loadedNow(deps: CatalogRouteDeps, signal: AbortSignal) {
  try {
    return { loaded: await deps.loadedModels(signal), note: null }
  } catch (err) {
    return {
      loaded: null,
      note: `vLLM did not say what it serves (${why(err)}); every recipe shows loaded: false`,
    }
  }
}

async function histories(deps: CatalogRouteDeps, entries: CatalogEntry[], limit: number) {
  const notes = new Set<string>()
  const records = await Promise.all(
    entries.map(async (e): Promise<LoadRecord[]> => {
      if (!e.valid || limit === 0) return []
      try {
        return (await deps.history.recentLoads(e.key, limit)).slice(0, limit)
      } catch (err) {
        notes.add(`load history is unavailable (${why(err)}); history is empty`)
        return []
      }
    }),
  )
  return { records, notes: [...notes] }
}

type SwapModel = z.infer<typeof swapModel>

const INVALID_FIELDS: Omit<SwapModel, 'key' | 'file' | 'valid' | 'reasons' | 'name' | 'history'> = {
  warnings: [],
  description: null,
  model: null,
  local_path: null,
  served_model_name: null,
  container: null,
  modes: [],
  default_mode: null,
  nodes_needed: null,
  placements: [],
  port: null,
  port_source: null,
  gpu_memory_utilization: null,
  max_model_len: null,
  weights_gib: null,
  memory_need_bytes: null,
  on_demand: false,
  min_residency_s: null,
  loaded: false,
}

function swapModelView(e: CatalogEntry, serving: ReadonlySet<string>, history: LoadRecord[]): SwapModel {
  if (!e.valid) {
    return {
      ...INVALID_FIELDS,
      key: e.key,
      file: e.file,
      valid: false,
      reasons: e.reasons,
      name: e.name ?? e.key,
      history,
    }
  }
  return {
    key: e.key,
    file: e.file,
    valid: true,
    reasons: [],
    warnings: e.warnings,
    name: e.name,
    description: e.description,
    model: e.model,
    local_path: e.localPath,
    served_model_name: e.servedModelName,
    container: e.container,
    modes: e.modes,
    default_mode: e.defaultMode,
    nodes_needed: e.nodesNeeded,
    placements: e.placements.map((p) => ({
      mode: p.mode,
      nodes: p.nodes,
      memory_need_bytes: p.memoryNeedBytes,
      weights_share_bytes: p.weightsShareBytes,
      kv_share_bytes: p.kvShareBytes,
    })),
    port: e.port,
    port_source: e.portSource,
    gpu_memory_utilization: e.gpuMemoryUtilization,
    max_model_len: e.maxModelLen,
    weights_gib: e.weightsGib,
    memory_need_bytes: e.memoryNeedBytes,
    on_demand: e.onDemand,
    min_residency_s: e.minResidencyS,
    loaded: serving.has(e.servedModelName),
    history,
  }
}

/** The earlier menu lists what can be launched (and, with model management, what is on disk); invalid recipes appear only in `recipes`. */
async function earlierView(deps: CatalogRouteDeps, entries: CatalogEntry[], loaded: string[] | null) {
  let models: MenuEntry[]
  let notes: string[] = []
  if (deps.menu) {
    try {
      ;({ models, notes } = await deps.menu(entries, loaded))
    } catch (err) {
      // The disk scan never takes the menu down: recipes are listed without disk facts.
      models = buildMenu({ entries, custom: [], disk: null, loaded, nodeMemoryBytes: GB10_NODE_MEMORY_BYTES })
      notes = [`the model caches could not be read (${why(err)}); on_disk is null`]
    }
  } else
    models = buildMenu({ entries, custom: [], disk: null, loaded, nodeMemoryBytes: GB10_NODE_MEMORY_BYTES })
  const recipes = entries.map((e) => ({
    key: e.key,
    file: e.file,
    name: e.name ?? e.key,
    repo: e.valid ? e.model : null,
    local_path: e.valid ? e.localPath : null,
    valid: e.valid,
    reasons: e.valid ? [] : e.reasons,
  }))
  return { models, recipes, loaded_model: loaded?.[0] ?? null, notes }
}

export function catalogRoutes(deps: CatalogRouteDeps): ServiceApp {
  const router = createRouter()
  router.openapi(swapModelsRoute, async (c) => {
    const limit = c.req.valid('query').history
    const [snapshot, now] = await Promise.all([deps.recipes.snapshot(), loadedNow(deps, c.req.raw.signal)])
    const past = await histories(deps, snapshot.entries, limit)
    const serving = new Set(now.loaded ?? [])
    const models = snapshot.entries.map((e, i) => swapModelView(e, serving, past.records[i] ?? []))
    const notes = [...snapshot.notes, ...(now.note ? [now.note] : []), ...past.notes]
    return c.json(
      { simulated: deps.simulated, directory: snapshot.dir, loaded_models: now.loaded, notes, models },
      200,
    )
  })
  router.openapi(earlierModelsRoute, async (c) => {
    const [snapshot, now] = await Promise.all([deps.recipes.snapshot(), loadedNow(deps, c.req.raw.signal)])
    return c.json(await earlierView(deps, snapshot.entries, now.loaded), 200)
  })
  return router
}
