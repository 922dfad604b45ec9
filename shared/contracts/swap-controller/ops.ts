/**
 * Cluster operations on the wire: the Spark service containers (`GET /api/ops/services`, restart),
 * the versioned container patches (`GET /api/ops/patches`, apply) and the concurrency sweep
 * (`/api/ops/sweeps`). The dashboard's ops page reads all of them; the routes publish their
 * OpenAPI from these schemas. Mutations take `dry_run` (the exact commands, nothing touched) and
 * `confirm: true` (asked for explicitly); without either they are refused with 428.
 */
import { z } from '@hono/zod-openapi'

// ---------------------------------------------------------------------------------------------
// Service containers

/** Docker's restart policies (`docker update --restart`). */
export const RestartPolicy = z.enum(['no', 'on-failure', 'unless-stopped', 'always'])
export type RestartPolicy = z.infer<typeof RestartPolicy>

/** What a Spark service is: the earlier version's upstream kinds, plus the owner's own containers. */
export const ServiceKind = z.enum(['stt', 'tts', 'embeddings', 'vector_db', 'llm', 'custom'])
export type ServiceKind = z.infer<typeof ServiceKind>

/** One Spark service container as the inventory describes it (configuration, not live state). */
export const ServiceContainerSpec = z
  .object({
    name: z.string().openapi({ example: 'parakeet' }),
    kind: ServiceKind,
    node: z.string().openapi({ description: 'The inventory node it runs on.', example: 'spark-2' }),
    container: z.string().openapi({ example: 'parakeet-asr' }),
    port: z.number().int().nullable(),
    health_path: z.string().nullable().openapi({ example: '/health' }),
    restart_policy: RestartPolicy,
    memory_cap_bytes: z.number().int().nullable().openapi({ description: 'Null: no cap wanted.' }),
    auto_restart: z.boolean().openapi({
      description: 'Restarted automatically when wedged (only when OPS_AUTO_RESTART is on).',
    }),
    custom: z
      .boolean()
      .openapi({ description: "An always-on container of the owner's own (a custom tile)." }),
    disabled: z.boolean().openapi({ description: 'Hidden by DISABLED_SERVICES.' }),
    update_dir: z.string().nullable().optional().openapi({
      description:
        "A custom tile's checkout on its node: Update runs `git pull` and a compose rebuild there.",
    }),
  })
  .openapi('ServiceContainerSpec')
export type ServiceContainerSpec = z.infer<typeof ServiceContainerSpec>

/** The last HTTP health check of a service (its `health_path` on its port). */
export const ServiceHealth = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable().openapi({ description: 'HTTP status; null when none came.' }),
    ms: z.number().nullable(),
    at: z.string(),
    error: z.string().nullable(),
  })
  .openapi('ServiceHealth')
export type ServiceHealth = z.infer<typeof ServiceHealth>

/** `healthy`/`unhealthy`/`starting`/`not_configured` are the earlier tiles' pills. */
export const ServicePill = z.enum([
  'healthy',
  'unhealthy',
  'starting',
  'stopped',
  'not_configured',
  'unknown',
])
export type ServicePill = z.infer<typeof ServicePill>

export const ServiceContainerView = ServiceContainerSpec.extend({
  state: z
    .enum(['running', 'restarting', 'exited', 'created', 'paused', 'dead', 'missing', 'unknown'])
    .openapi({ description: '`missing`: no container of that name; `unknown`: the node did not answer.' }),
  pill: ServicePill,
  started_at: z.string().nullable(),
  uptime_s: z.number().nullable(),
  restarts: z.number().int().nullable().openapi({ description: "Docker's RestartCount." }),
  memory_bytes: z.number().nullable(),
  memory_limit_bytes: z
    .number()
    .nullable()
    .openapi({ description: 'The cap in force (HostConfig.Memory); null when none.' }),
  image: z.string().nullable(),
  health: ServiceHealth.nullable(),
  error: z.string().nullable().openapi({ description: 'Why the state is unknown, in plain words.' }),
}).openapi('ServiceContainerView')
export type ServiceContainerView = z.infer<typeof ServiceContainerView>

export const AutoRestartEntry = z.object({
  service: z.string(),
  at: z.string(),
  outcome: z.enum(['restarted', 'failed', 'rate_limited', 'refused_swap']),
  detail: z.string().nullable(),
})
export type AutoRestartEntry = z.infer<typeof AutoRestartEntry>

export const OpsServicesAnswer = z
  .object({
    simulated: z.boolean(),
    services: z.array(ServiceContainerView),
    auto_restart: z.object({
      enabled: z.boolean(),
      max: z.number().int(),
      window_s: z.number().int(),
      recent: z.array(AutoRestartEntry),
    }),
  })
  .openapi('OpsServices')
export type OpsServicesAnswer = z.infer<typeof OpsServicesAnswer>

/** A mutation's body: `dry_run` shows the commands, `confirm` asks for the change explicitly. */
export const OpsMutationRequest = z
  .object({
    dry_run: z.boolean().optional(),
    confirm: z.boolean().optional(),
  })
  .openapi('OpsMutationRequest')
export type OpsMutationRequest = z.infer<typeof OpsMutationRequest>

/** One command as it runs on a node: argv (each word quoted on the way) and its display form. */
export const OpsCommand = z.object({
  node: z.string(),
  argv: z.array(z.string()),
  display: z.string().openapi({ description: 'The command line as a shell would read it (quoted).' }),
})
export type OpsCommand = z.infer<typeof OpsCommand>

export const RestartAnswer = z
  .object({
    dry_run: z.boolean(),
    service: z.string(),
    node: z.string(),
    container: z.string(),
    commands: z.array(OpsCommand),
    restarted: z.boolean(),
    duration_ms: z.number().nullable(),
    /** After a real restart: the first health result once it answered (or the last one tried). */
    health_after: ServiceHealth.nullable(),
  })
  .openapi('OpsRestart')
export type RestartAnswer = z.infer<typeof RestartAnswer>

// ---------------------------------------------------------------------------------------------
// Patches

export const PatchState = z.enum(['applied', 'missing', 'unknown'])
export type PatchState = z.infer<typeof PatchState>

/** One patch on one service (a patch may target several). */
export const PatchStatus = z
  .object({
    id: z.string().openapi({ example: 'parakeet-memory-cap' }),
    version: z.number().int(),
    description: z.string(),
    service: z.string(),
    node: z.string(),
    container: z.string(),
    state: PatchState,
    detail: z.string().nullable().openapi({ description: 'Why it is missing or unknown, in plain words.' }),
    checked_at: z.string(),
    summary: z.string().optional().openapi({
      description: 'One line for a person or a log: `<id> on <service> (<node>): applied`, or why not.',
    }),
  })
  .openapi('PatchStatus')
export type PatchStatus = z.infer<typeof PatchStatus>

/** Patches naming a service the inventory lacks, hides (DISABLED_SERVICES) or gives no needed value. */
export const PatchSkipped = z.array(z.object({ id: z.string(), service: z.string(), reason: z.string() }))
export type PatchSkipped = z.infer<typeof PatchSkipped>

export const PatchesAnswer = z
  .object({
    simulated: z.boolean(),
    patches: z.array(PatchStatus),
    /** Patch files that did not load, with the reason (never silently dropped). */
    invalid: z.array(z.object({ file: z.string(), reason: z.string() })),
    skipped: PatchSkipped.optional(),
  })
  .openapi('OpsPatches')
export type PatchesAnswer = z.infer<typeof PatchesAnswer>

export const PatchApplyRequest = OpsMutationRequest.extend({
  ids: z
    .array(z.string().max(100))
    .max(100)
    .optional()
    .openapi({ description: 'Only these patches; default every missing one.' }),
}).openapi('PatchApplyRequest')
export type PatchApplyRequest = z.infer<typeof PatchApplyRequest>

export const PatchStep = z.object({
  kind: z.enum(['check', 'apply', 'recheck']),
  /** What the step does, from the patch file. */
  description: z.string().optional(),
  command: OpsCommand,
  /** Null in a dry run (nothing ran). */
  exit_code: z.number().int().nullable(),
  ok: z.boolean().nullable(),
  detail: z.string().nullable(),
  ms: z.number().nullable(),
})
export type PatchStep = z.infer<typeof PatchStep>

export const PatchApplyResult = z.object({
  id: z.string(),
  service: z.string(),
  node: z.string(),
  before: PatchState,
  after: PatchState.nullable().openapi({ description: 'Null in a dry run.' }),
  /** True only when the check step passed after applying. */
  applied: z.boolean(),
  skipped: z.boolean().openapi({ description: 'Already applied: nothing ran.' }),
  steps: z.array(PatchStep),
  summary: z.string().optional().openapi({ description: 'One line for a person or a log: what happened.' }),
})
export type PatchApplyResult = z.infer<typeof PatchApplyResult>

export const PatchApplyAnswer = z
  .object({
    dry_run: z.boolean(),
    ok: z.boolean(),
    results: z.array(PatchApplyResult),
    skipped: PatchSkipped.optional(),
  })
  .openapi('OpsPatchApply')
export type PatchApplyAnswer = z.infer<typeof PatchApplyAnswer>

// ---------------------------------------------------------------------------------------------
// Concurrency sweep

export const SweepTarget = z.enum(['asr', 'tts', 'embeddings'])
export type SweepTarget = z.infer<typeof SweepTarget>

export const SWEEP_LEVELS = [1, 2, 3, 4, 6, 8] as const

export const SweepRequest = z
  .object({
    target: SweepTarget,
    levels: z.array(z.number().int().min(1).max(64)).min(1).max(12).optional(),
    /** Seconds each concurrency level runs after its warm-up. */
    cell_s: z.number().min(0.5).max(3600).optional(),
    warmup_s: z.number().min(0).max(600).optional(),
    /** The sweep loads the GPU: against a real cluster it runs only with this set. */
    confirm_live: z.boolean().optional(),
    dry_run: z.boolean().optional(),
    /** Asked for explicitly, as every operation that loads or changes the cluster (428 without it or `dry_run`). */
    confirm: z.boolean().optional(),
  })
  .openapi('SweepRequest')
export type SweepRequest = z.infer<typeof SweepRequest>

export const SweepCell = z.object({
  concurrency: z.number().int(),
  requests: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number(),
  throughput_rps: z.number(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
  /** `/health` latency measured in parallel while this level ran (the blip metric). */
  health_p50_ms: z.number().nullable(),
  health_p95_ms: z.number().nullable(),
  health_max_ms: z.number().nullable(),
})
export type SweepCell = z.infer<typeof SweepCell>

export const SweepResult = z
  .object({
    id: z.string(),
    target: SweepTarget,
    url: z.string(),
    simulated: z.boolean(),
    status: z.enum(['running', 'done', 'failed', 'cancelled']),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    cells: z.array(SweepCell),
    stopped_early: z.string().nullable().openapi({ description: 'Why later levels did not run.' }),
    knee: z.number().int().nullable(),
    /** The lane limit to set in the speech-proxy (or embeddings batch concurrency). */
    recommended_limit: z.number().int().nullable(),
    setting: z.string().nullable().openapi({ example: 'SPEECH_LANE_ASR' }),
    reason: z.string().nullable(),
    /** Present and true on a dry run's answer: the plan in `reason`, nothing sent, nothing saved. */
    dry_run: z.boolean().optional(),
  })
  .openapi('SweepResult')
export type SweepResult = z.infer<typeof SweepResult>

export const SweepList = z.object({ sweeps: z.array(SweepResult) }).openapi('SweepList')
export type SweepList = z.infer<typeof SweepList>
