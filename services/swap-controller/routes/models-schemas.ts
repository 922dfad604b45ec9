/**
 * Wire shapes of model management (`/api/models…`). They sit under the earlier `/api/models`
 * prefix, so errors keep the earlier `{"detail": ...}` bodies; the exact earlier paths for delete
 * and download were not recorded, our choices are in docs/COMPATIBILITY.md.
 */
import { z } from '@hono/zod-openapi'
import { safeName } from '../../../shared/names.ts'
import { modelIdProblem } from '../domain/catalog/schema.ts'

export const keyParam = z.object({
  key: safeName('a model key').openapi({ param: { name: 'key', in: 'path' }, example: 'qwen3-coder-30b' }),
})

export const downloadIdParam = z.object({
  id: z
    .string()
    .regex(/^dl_[a-f0-9]{12}$/, 'must be a download id like `dl_0123456789ab`')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'dl_0123456789ab' }),
})

export const actorHeader = z.object({
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

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

export const customModel = z
  .object({
    key: z.string(),
    name: z.string(),
    repo: z.string().nullable(),
    local_path: z.string().nullable(),
    served_model_name: z.string(),
    max_model_len: z.number().int().nullable(),
    notes: z.string().nullable(),
    created_at: z.string(),
    created_by: z.string(),
  })
  .openapi('CustomModel')

export const addedModel = customModel
  .extend({
    ignored_fields: z.array(z.string()).openapi({
      description:
        'Posted fields a card does not have (e.g. the vLLM args of an earlier ModelDef): ignored, not stored.',
    }),
    ignored_note: z
      .string()
      .nullable()
      .openapi({ description: 'Why `ignored_fields` were ignored; null when none were.' }),
  })
  .openapi('CustomModelAdded')

export const deleteAnswer = z
  .object({
    key: z.string(),
    repo: z.string().nullable(),
    local_path: z.string().nullable(),
    weights_removed: z.boolean().openapi({ description: 'The cache directory was removed on every node.' }),
    nodes: z.array(
      z.object({
        node: z.string(),
        ok: z.boolean(),
        error: z.string().nullable(),
        on_disk: z
          .boolean()
          .optional()
          .openapi({ description: 'Whether the weights were there to remove on this node.' }),
      }),
    ),
    card_removed: z.boolean().openapi({ description: 'A custom card (POST /api/models) was removed.' }),
    recipe_kept: z.string().nullable().openapi({ description: 'Recipe files are never deleted by the API.' }),
    notes: z.array(z.string()),
  })
  .openapi('ModelDeleted')

export const suggestionList = z
  .object({
    q: z.string(),
    suggestions: z.array(
      z.object({
        repo: z.string().openapi({ example: 'Qwen/Qwen3-4B-Instruct-2507' }),
        source: z.enum(['recipe', 'on_disk', 'custom', 'known']),
        on_disk: z.boolean(),
        note: z.string().nullable(),
      }),
    ),
  })
  .openapi('ModelSuggestions')

const status = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted'])

export const downloadView = z
  .object({
    download_id: z.string(),
    repo: z.string(),
    status,
    percent: z.number().openapi({ description: 'Mean over the nodes, 0-100.' }),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    actor: z.string(),
    error: z.string().nullable(),
    nodes: z.array(
      z.object({
        node: z.string(),
        status,
        percent: z.number(),
        files_done: z.number().int(),
        files_total: z.number().int().nullable(),
        bytes_downloaded: z.number(),
        snapshot_path: z.string().nullable(),
        last_error: z.string().nullable(),
        exit_code: z.number().int().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .openapi('ModelDownload')

export const downloadRequest = z
  .object({
    repo: z
      .string()
      .superRefine((v, ctx) => {
        const p = modelIdProblem(v)
        if (p) ctx.addIssue({ code: 'custom', message: p })
      })
      .openapi({ example: 'Qwen/Qwen3-4B-Instruct-2507', description: 'Hugging Face `org/name`.' }),
    nodes: z.array(z.string().max(128)).max(16).optional().openapi({ description: 'Default: every node.' }),
  })
  .strict()
  .openapi('ModelDownloadRequest')

const detailBody = z.object({ detail: z.union([z.string(), z.array(z.unknown())]) }).openapi('ModelError')
export const detail = (description: string) => ({
  description,
  content: { 'application/json': { schema: detailBody } },
})
