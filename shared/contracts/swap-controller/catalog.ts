/**
 * The swap-controller's catalog on the wire: `GET /api/swap/models` (every recipe, new, snake_case)
 * and `GET /api/models` (the earlier version's menu: `repo`, `local_path`, `needs_setup`, plus a
 * `recipes` list; see docs/COMPATIBILITY.md). The dashboard's swap and models pages read both; the
 * routes publish their OpenAPI from these schemas.
 */
import { z } from '@hono/zod-openapi'

const mode = z.enum(['solo', 'cluster'])

export const inferredSettings = z
  .object({
    architecture: z.string().nullable().openapi({ example: 'Qwen3ForCausalLM' }),
    model_type: z.string().nullable(),
    max_model_len: z.number().int().nullable().openapi({ description: 'From max_position_embeddings.' }),
    dtype: z.string().nullable().openapi({ example: 'bfloat16' }),
    quantization: z.string().nullable().openapi({ example: 'fp8' }),
    weights_bytes: z.number().int().nullable().openapi({ description: 'Sum of the *.safetensors files.' }),
    weights_gib: z.number().nullable(),
    notes: z.array(z.string()),
  })
  .openapi('InferredModelSettings')

const loadRecord = z
  .object({
    started_at: z.string().openapi({ example: '2026-05-01T09:30:00.000Z' }),
    outcome: z.string().openapi({ example: 'ready' }),
    total_s: z.number(),
    phases: z.record(z.string(), z.number()).openapi({
      description: 'Seconds per phase.',
      example: { stopping: 11.2, weights: 41.5, compile: 62.0 },
    }),
  })
  .openapi('RecipeLoad')

const placement = z.object({
  mode,
  nodes: z.number().int(),
  memory_need_bytes: z
    .number()
    .int()
    .openapi({ description: 'Estimated unified memory needed on each of those nodes.' }),
  weights_share_bytes: z.number().int(),
  kv_share_bytes: z.number().int(),
})

export const swapModel = z
  .object({
    key: z
      .string()
      .openapi({ description: 'Recipe key (file name without .yaml).', example: 'qwen3-coder-30b' }),
    file: z.string(),
    valid: z.boolean(),
    reasons: z
      .array(z.string())
      .openapi({ description: 'Why the recipe is invalid, each naming the field; empty when valid.' }),
    warnings: z.array(z.string()),
    name: z.string(),
    description: z.string().nullable(),
    model: z
      .string()
      .nullable()
      .openapi({ description: 'Hugging Face id; null for a local model or an invalid recipe.' }),
    local_path: z.string().nullable(),
    served_model_name: z
      .string()
      .nullable()
      .openapi({ description: 'The id `/v1/models` lists once it is loaded.' }),
    container: z.string().nullable(),
    modes: z.array(mode).openapi({ description: 'Where it can run.' }),
    default_mode: mode.nullable(),
    nodes_needed: z.number().int().nullable(),
    placements: z.array(placement),
    port: z.number().int().nullable(),
    port_source: z.enum(['spark_control', 'defaults', 'command', 'vllm_default']).nullable(),
    gpu_memory_utilization: z.number().nullable(),
    max_model_len: z.number().int().nullable(),
    weights_gib: z.number().nullable(),
    memory_need_bytes: z.number().int().nullable().openapi({
      description:
        'Per node, default mode: max(weights ÷ nodes × 1.1 + 2 GiB, gpu_memory_utilization × node memory).',
    }),
    on_demand: z.boolean(),
    min_residency_s: z.number().int().nullable(),
    loaded: z.boolean().openapi({ description: 'vLLM lists its served name in /v1/models right now.' }),
    history: z.array(loadRecord).openapi({ description: 'Past loads of this recipe, newest first.' }),
  })
  .openapi('SwapModel')

export const swapModelList = z
  .object({
    simulated: z.boolean(),
    directory: z.string().openapi({ description: 'The recipe directory read (RECIPES_DIR).' }),
    loaded_models: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'What vLLM serves now; null when it did not answer.' }),
    notes: z
      .array(z.string())
      .openapi({ description: 'Catalog-wide remarks: files not read, vLLM or history unavailable.' }),
    models: z.array(swapModel),
  })
  .openapi('SwapModelList')

export const menuModel = z
  .object({
    key: z
      .string()
      .openapi({ description: 'The recipe key, a custom card key, or `org--name` for an on-disk model.' }),
    name: z.string(),
    repo: z
      .string()
      .nullable()
      .openapi({ description: 'Hugging Face `org/name`; exactly one of repo and local_path is set.' }),
    local_path: z.string().nullable(),
    served_model_name: z.string(),
    recipe: z
      .string()
      .nullable()
      .openapi({ description: 'The recipe that launches it; null for `needs_setup` entries.' }),
    needs_setup: z
      .boolean()
      .openapi({ description: 'No recipe launches it yet (an on-disk model or a custom card).' }),
    on_disk: z.boolean().nullable().openapi({
      description:
        'Weights found in the HF cache of at least one node; null when not checked (local paths, caches unreadable).',
    }),
    on_nodes: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'The nodes holding the weights; null when not checked.' }),
    size_bytes: z.number().int().nullable().openapi({ description: 'Size of the snapshot on disk.' }),
    loaded: z.boolean(),
    solo_only: z.boolean(),
    cluster_only: z.boolean(),
    memory_need_bytes: z
      .number()
      .int()
      .openapi({ description: 'Per node; for `needs_setup`, solo with vLLM’s default budget.' }),
    custom: z.boolean().openapi({ description: 'A custom card (POST /api/models) exists for it.' }),
    card_file: z.string().nullable().openapi({
      description:
        'The earlier catalog file its card is defined in (`MODELS_YAML`, `MODELS_OVERRIDES`), edited there; null otherwise.',
    }),
    settings: inferredSettings
      .nullable()
      .openapi({ description: 'Inferred from config.json; only for `needs_setup` entries.' }),
  })
  .openapi('MenuModel')

export const recipeSummary = z
  .object({
    key: z.string(),
    file: z.string(),
    name: z.string(),
    repo: z.string().nullable(),
    local_path: z.string().nullable(),
    valid: z.boolean(),
    reasons: z.array(z.string()),
  })
  .openapi('RecipeSummary')

export const earlierModelList = z
  .object({
    models: z.array(menuModel).openapi({ description: 'The menu: models that can be swapped to.' }),
    recipes: z
      .array(recipeSummary)
      .openapi({ description: 'Every recipe file, invalid ones with their reasons.' }),
    loaded_model: z.string().nullable(),
    notes: z
      .array(z.string())
      .openapi({ description: 'Why disk facts are missing for a node, if they are.' }),
  })
  .openapi('ModelMenu')

export type CatalogList = z.infer<typeof swapModelList>
export type CatalogModel = CatalogList['models'][number]
export type InferredSettings = z.infer<typeof inferredSettings>
export type ModelMenu = z.infer<typeof earlierModelList>
export type MenuModel = ModelMenu['models'][number]
