/**
 * The swap-controller's swap answers on the wire: the job (`POST /api/swap`, `GET /api/swap/{id}`,
 * `GET /api/swap/state`), the dry run and the pre-flight (`POST /api/swap/{key}/validate`) and the
 * stop. The routes publish their OpenAPI from these schemas and the gateway's dashboard checks the
 * answers it reads against them; a change here is a change of the HTTP contract recorded in
 * docs/COMPATIBILITY.md (field names are kept from the earlier version).
 */
import { z } from '@hono/zod-openapi'

/**
 * The job's `status`, in the order a swap goes through them. The swap machine has its own list;
 * services/swap-controller/routes/swap-schemas.ts fails tsc when the two differ.
 */
export const SWAP_STATES = [
  'draining',
  'stopping',
  'verifying-stopped',
  'starting',
  'loading',
  'warming',
  'ready',
  'failed',
  'rolling-back',
  'cancelled',
] as const

const status = z.enum(SWAP_STATES)
const runMode = z.enum(['solo', 'cluster'])

export const progressSchema = z.object({
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

export const jobSchema = z
  .object({
    job_id: z.string().openapi({ example: 'swp_0123456789abcdef' }),
    status,
    outcome: z.enum(['running', 'ready', 'failed', 'cancelled', 'rolled_back']),
    recipe: z.string(),
    mode: z.string(),
    model: z.string(),
    from_model: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    transitions: z.array(z.object({ state: status, at: z.string() })),
    durations_ms: z.record(z.string(), z.number()),
    error: z.string().nullable(),
    log_excerpt: z.string().nullable(),
    rollback: z.object({ recipe: z.string(), outcome: z.enum(['running', 'ready', 'failed']) }).nullable(),
    cancel_requested: z.boolean(),
    warnings: z.array(z.string()).openapi({
      description:
        'What pre-flight or the run found that did not stop the swap (a node left out, weights to download).',
    }),
    progress: progressSchema.nullable(),
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

export const fitSchema = z
  .object({
    fits: z.boolean(),
    policy: z.enum(['refuse', 'warn']),
    allowed: z.boolean(),
    per_node: z.array(nodeFit),
    message: z.string(),
  })
  .openapi('SwapFit')

/** One step of a plan as the dry run shows it. */
const command = z.object({
  node: z.string(),
  command: z.string().openapi({ description: 'Exactly the string sent over SSH.' }),
  kind: z.enum([
    'stop-container',
    'remove-container',
    'check-absent',
    'read-memory',
    'launch',
    'reach',
    'read-recipe',
    'check-image',
    'check-weights',
    'write-recipe',
  ]),
  purpose: z.string().openapi({ description: "What the step is for, in an operator's words." }),
  deadline_ms: z.number().openapi({ description: 'The whole budget the controller gives the command.' }),
})
export const commandsSchema = z.object({
  preflight: z.array(command).openapi({
    description:
      'Checks run before anything is torn down; `write-recipe` runs only when the head’s recipe file is missing or different.',
  }),
  teardown: z.array(command),
  verify: z.array(command),
  launch: z.array(command),
})

export const preflightSchema = z
  .object({
    ok: z.boolean().openapi({ description: 'Nothing blocks the swap.' }),
    unreachable: z
      .array(z.string())
      .openapi({ description: 'Needed nodes that did not answer (the swap answers 503).' }),
    skipped: z
      .array(z.string())
      .openapi({ description: 'Nodes not needed by this model that did not answer: left out.' }),
    recipe: z.enum(['same', 'missing', 'different', 'unknown']).openapi({
      description: "The head's recipe file compared with the controller's.",
    }),
    problems: z.array(z.string()),
    warnings: z.array(z.string()),
    checks: z.array(
      z.object({
        node: z.string(),
        check: z.enum(['reach', 'recipe', 'image', 'weights']),
        ok: z.boolean(),
        detail: z.string(),
      }),
    ),
  })
  .openapi('SwapPreflight')

export const dryRunSchema = z
  .object({
    dry_run: z.literal(true),
    recipe: z.string(),
    mode: runMode,
    model: z.string(),
    from_model: z.string().nullable(),
    commands: commandsSchema,
    fit: fitSchema,
    preflight: preflightSchema.nullable(),
  })
  .openapi('SwapDryRun')

export const startedSchema = jobSchema
  .extend({
    dry_run: z.literal(false),
    coalesced: z.boolean(),
    fit: fitSchema.nullable(),
    preflight: preflightSchema.nullable(),
  })
  .openapi('SwapStarted')

export const stateSchema = z
  .object({
    state: z.string().openapi({ description: "`idle`, or the running job's status" }),
    job: jobSchema.nullable(),
  })
  .openapi('SwapState')

/** `POST /api/swap/{key}/validate`: the dry run's verdict, for a recipe that may be invalid. */
export const validateSchema = z
  .object({
    key: z.string(),
    valid: z.boolean(),
    reasons: z.array(z.string()),
    warnings: z.array(z.string()),
    mode: runMode.nullable(),
    model: z.string().nullable(),
    from_model: z.string().nullable(),
    fit: fitSchema.nullable(),
    commands: commandsSchema.nullable(),
    preflight: preflightSchema.nullable(),
  })
  .openapi('SwapValidation')

export const stopSchema = z
  .object({
    dry_run: z.boolean(),
    stopped: z.boolean().openapi({ description: 'True once teardown was verified on every node.' }),
    model: z
      .string()
      .nullable()
      .openapi({ description: 'What vLLM served before the stop; null when nothing answered.' }),
    recipe: z.string().nullable(),
    nodes: z.array(z.string()),
    commands: commandsSchema.pick({ teardown: true, verify: true }),
    duration_ms: z.record(z.string(), z.number()).nullable().openapi({
      description: 'Per phase: `draining` (in-flight chat generations), `stopping`, `verifying-stopped`.',
    }),
  })
  .openapi('SwapStop')

export type SwapStatus = (typeof SWAP_STATES)[number]
export type JobView = z.infer<typeof jobSchema>
export type DryRunAnswer = z.infer<typeof dryRunSchema>
export type SwapStateView = z.infer<typeof stateSchema>
export type ValidateAnswer = z.infer<typeof validateSchema>
export type StopAnswer = z.infer<typeof stopSchema>
