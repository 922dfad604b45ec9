/**
 * OpenAPI shapes of the swap routes (documented for clients in docs/COMPATIBILITY.md): what they
 * accept is checked here; what they answer is the contract in shared/contracts/swap-controller.ts,
 * re-exported for the routes and checked against the engine's own types below.
 */
import { z } from '@hono/zod-openapi'
import type { Fits, Same } from '../../../shared/contracts/same.ts'
import type * as wire from '../../../shared/contracts/swap-controller.ts'
import { safeName } from '../../../shared/names.ts'
import { MAX_TOKEN_LENGTH } from '../domain/coordination/token.ts'
import type { DryRunAnswer, StopAnswer, ValidateAnswer } from '../domain/swap/engine-types.ts'
import type { SwapState } from '../domain/swap/machine.ts'
import type { JobView } from '../domain/swap/view.ts'

export {
  dryRunSchema,
  jobSchema,
  startedSchema,
  stateSchema,
  stopSchema,
  validateSchema,
} from '../../../shared/contracts/swap-controller.ts'

import { jsonContent } from '../../../shared/openapi.ts'

// The engine answers exactly the contract's job; a drift fails tsc here, not on a dashboard page.
true satisfies Same<SwapState, wire.SwapStatus>
true satisfies Same<JobView, wire.JobView>
// Every answer the engine builds is a valid contract answer (its commands may say more than the contract names).
true satisfies Fits<DryRunAnswer, wire.DryRunAnswer>
true satisfies Fits<ValidateAnswer, wire.ValidateAnswer>
true satisfies Fits<StopAnswer, wire.StopAnswer>

export const JOB_ID = /^swp_[0-9a-f]{16}$/

const token = z.string().max(MAX_TOKEN_LENGTH)

export const swapBody = z
  .object({
    recipe: safeName('a recipe key').optional().openapi({ example: 'qwen3-coder-30b' }),
    model: safeName('a recipe key')
      .optional()
      .openapi({ description: 'Another name for `recipe` (OpenAI clients say `model`); `recipe` wins.' }),
    mode: z
      .enum(['solo', 'cluster'])
      .optional()
      .openapi({ description: "Default: the recipe's own default mode." }),
    dry_run: z
      .boolean()
      .optional()
      .openapi({ description: 'The exact commands and the fit verdict; touch nothing.' }),
    token: token.optional().openapi({ description: 'The swap-lock token (the header is preferred).' }),
  })
  .refine((b) => b.recipe !== undefined || b.model !== undefined, {
    path: ['recipe'],
    message: 'Required: the recipe key (or `model`)',
  })
  .openapi('SwapRequest')

export const swapHeaders = z.object({
  'x-swap-lock-token': token.optional().openapi({ description: 'The swap-lock token.' }),
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

const detailBody = z.object({ detail: z.unknown() }).passthrough()
export const detail = (description: string) => jsonContent(description, detailBody)
const problemBody = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
  .passthrough()
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemBody } },
})
