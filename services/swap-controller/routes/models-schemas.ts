/**
 * OpenAPI shapes of model management (`/api/models…`). They sit under the earlier `/api/models`
 * prefix, so errors keep the earlier `{"detail": ...}` bodies; the exact earlier paths for delete
 * and download were not recorded, our choices are in docs/COMPATIBILITY.md. What the routes accept
 * is checked here; what they answer is the contract in shared/contracts/swap-controller.ts,
 * re-exported for the routes and checked against the domain's own types below.
 */
import { z } from '@hono/zod-openapi'
import type { Same } from '../../../shared/contracts/same.ts'
import type * as wire from '../../../shared/contracts/swap-controller.ts'
import { safeName } from '../../../shared/names.ts'
import { modelIdProblem } from '../domain/catalog/schema.ts'
import type { CustomModel } from '../domain/models/custom.ts'
import type { DownloadView } from '../domain/models/downloads.ts'
import type { InferredSettings } from '../domain/models/hf-config.ts'
import type { AddedModel, DeleteAnswer } from '../domain/models/service.ts'
import type { Suggestion } from '../domain/models/suggest.ts'

export {
  addedModel,
  deleteAnswer,
  downloadList,
  downloadView,
  suggestionList,
} from '../../../shared/contracts/swap-controller.ts'

import { jsonContent } from '../../../shared/openapi.ts'

// The model service answers exactly the contract's shapes; a drift fails tsc here.
true satisfies Same<InferredSettings, wire.InferredSettings>
true satisfies Same<CustomModel, wire.CustomModel>
true satisfies Same<AddedModel, wire.AddedModel>
true satisfies Same<DeleteAnswer, wire.DeleteAnswer>
true satisfies Same<Suggestion, wire.Suggestion>
true satisfies Same<DownloadView, wire.DownloadView>

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
export const detail = (description: string) => jsonContent(description, detailBody)
