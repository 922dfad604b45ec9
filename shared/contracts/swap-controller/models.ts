/**
 * The swap-controller's model management answers on the wire (`/api/models…`, earlier prefix, so
 * errors stay `{"detail": ...}`): a stored custom card, a delete's per-node result, suggestions for
 * the download box, and downloads with their per-node progress. The dashboard's models page reads
 * them all; the routes publish their OpenAPI from these schemas. Request bodies are validated by
 * the controller itself (services/swap-controller/routes/models-schemas.ts).
 */
import { z } from '@hono/zod-openapi'

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

const downloadStatus = z.enum(['running', 'done', 'failed', 'cancelled', 'interrupted'])

export const downloadView = z
  .object({
    download_id: z.string(),
    repo: z.string(),
    status: downloadStatus,
    percent: z.number().openapi({ description: 'Mean over the nodes, 0-100.' }),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    actor: z.string(),
    error: z.string().nullable(),
    nodes: z.array(
      z.object({
        node: z.string(),
        status: downloadStatus,
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

export const downloadList = z.object({ downloads: z.array(downloadView) }).openapi('ModelDownloadList')

export type CustomModel = z.infer<typeof customModel>
export type AddedModel = z.infer<typeof addedModel>
export type DeleteAnswer = z.infer<typeof deleteAnswer>
export type Suggestion = z.infer<typeof suggestionList>['suggestions'][number]
export type DownloadView = z.infer<typeof downloadView>
