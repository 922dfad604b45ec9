/** OpenAPI shapes of the swap routes (documented for clients in docs/COMPATIBILITY.md). */
import { z } from '@hono/zod-openapi'
import { safeName } from '../../../shared/names.ts'
import { MAX_TOKEN_LENGTH } from '../domain/coordination/token.ts'
import { SWAP_STATES } from '../domain/swap/machine.ts'

export const JOB_ID = /^swp_[0-9a-f]{16}$/

const token = z.string().max(MAX_TOKEN_LENGTH)

export const swapBody = z
  .object({
    recipe: safeName('a recipe key').openapi({ example: 'qwen3-coder-30b' }),
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
  .openapi('SwapRequest')

export const swapHeaders = z.object({
  'x-swap-lock-token': token.optional().openapi({ description: 'The swap-lock token.' }),
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

const progress = z
  .object({
    phase: z.string(),
    phase_percent: z.number().nullable(),
    percent: z.number(),
    eta_s: z.number().nullable(),
    eta_basis: z.enum(['history', 'progress', 'default']).nullable().optional().openapi({
      description:
        "What `eta_s` rests on: this recipe's past loads, this load's pace so far, or a generic profile (a guess).",
    }),
    stalled: z.boolean(),
  })
  .nullable()

export const jobSchema = z
  .object({
    job_id: z.string().openapi({ example: 'swp_0123456789abcdef' }),
    status: z.enum(SWAP_STATES),
    outcome: z.enum(['running', 'ready', 'failed', 'cancelled', 'rolled_back']),
    recipe: z.string(),
    mode: z.string(),
    model: z.string(),
    from_model: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    transitions: z.array(z.object({ state: z.string(), at: z.string() })),
    durations_ms: z.record(z.string(), z.number()),
    error: z.string().nullable(),
    log_excerpt: z.string().nullable(),
    rollback: z.object({ recipe: z.string(), outcome: z.string() }).nullable(),
    cancel_requested: z.boolean(),
    progress,
  })
  .openapi('SwapJob')

const nodeFit = z.object({
  node: z.string(),
  need_bytes: z.number(),
  available_bytes: z.number().nullable(),
  freed_bytes: z.number().openapi({
    description:
      'What stopping the current model frees here, at most what is in use (MemTotal − MemAvailable).',
  }),
  total_bytes: z.number().nullable().openapi({ description: 'MemTotal of the node; null when not read.' }),
  fits: z.boolean().nullable(),
})
const fit = z
  .object({
    fits: z.boolean(),
    policy: z.enum(['refuse', 'warn']),
    allowed: z.boolean(),
    per_node: z.array(nodeFit),
    message: z.string(),
  })
  .openapi('SwapFit')

const command = z.object({ node: z.string(), command: z.string() })
export const dryRunSchema = z
  .object({
    dry_run: z.literal(true),
    recipe: z.string(),
    mode: z.string(),
    model: z.string(),
    from_model: z.string().nullable(),
    commands: z.object({ teardown: z.array(command), verify: z.array(command), launch: z.array(command) }),
    fit,
  })
  .openapi('SwapDryRun')

export const startedSchema = jobSchema
  .extend({ dry_run: z.literal(false), coalesced: z.boolean(), fit: fit.nullable() })
  .openapi('SwapStarted')

export const stateSchema = z
  .object({
    state: z.string().openapi({ description: "`idle`, or the running job's status" }),
    job: jobSchema.nullable(),
  })
  .openapi('SwapState')

const detailBody = z.object({ detail: z.unknown() }).passthrough()
export const detail = (description: string) => ({
  description,
  content: { 'application/json': { schema: detailBody } },
})
const problemBody = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
  .passthrough()
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemBody } },
})
