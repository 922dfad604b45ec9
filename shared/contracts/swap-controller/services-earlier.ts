/**
 * The earlier version's service tiles and NIM install on the wire (docs/COMPATIBILITY.md):
 * `GET /api/services`, `POST /api/services/{name}/{action}` (start, stop, restart; update and
 * logs for custom tiles) and `POST /api/nim/install`. The earlier JSON was never recorded; these
 * shapes are ours, built for what the earlier dashboard showed (host:port, model, a pill, the
 * restart count, the tile's buttons). snake_case, durations in seconds; errors `{"detail": …}`.
 */
import { z } from '@hono/zod-openapi'
import { safeName } from '../../names.ts'
import { OpsCommand, ServiceKind } from './ops.ts'

/** The earlier tiles' pill words, in their capitalisation. */
export const EarlierServiceStatus = z.enum(['Healthy', 'Unhealthy', 'Starting', 'Not configured'])
export type EarlierServiceStatus = z.infer<typeof EarlierServiceStatus>

export const EARLIER_SERVICE_ACTIONS = ['start', 'stop', 'restart', 'update', 'logs'] as const
export const EarlierServiceAction = z.enum(EARLIER_SERVICE_ACTIONS)
export type EarlierServiceAction = z.infer<typeof EarlierServiceAction>

export const EarlierServiceHealth = z.object({
  ok: z.boolean(),
  http_status: z.number().int().nullable().openapi({ description: 'Null when no answer came.' }),
  latency_s: z.number().nullable(),
  checked_at: z.string(),
  error: z.string().nullable(),
})
export type EarlierServiceHealth = z.infer<typeof EarlierServiceHealth>

/** One tile: a Spark service container with its live state. */
export const EarlierServiceTile = z
  .object({
    name: z.string().openapi({ example: 'parakeet' }),
    kind: ServiceKind,
    node: z.string().openapi({ example: 'spark-2' }),
    host: z.string().nullable().openapi({ example: '<spark-2-ip>' }),
    port: z.number().int().nullable().openapi({ example: 8000 }),
    url: z.string().nullable().openapi({ description: '`http://host:port`; informational.' }),
    container: z.string().openapi({ example: 'parakeet-asr' }),
    state: z.string().openapi({
      description: "Docker's state (`running`, `exited`, `restarting`, …), `missing` or `unknown`.",
    }),
    status: EarlierServiceStatus.openapi({ description: "The tile's pill, in the earlier words." }),
    healthy: z.boolean(),
    pill: z
      .string()
      .openapi({ description: 'The finer pill of `/api/ops/services` (`stopped`, `unknown`, …).' }),
    health: EarlierServiceHealth.nullable(),
    model: z.string().nullable().openapi({ description: 'What it serves, where known.' }),
    restarts: z.number().int().nullable().openapi({ description: "Docker's RestartCount." }),
    uptime_s: z.number().nullable(),
    custom: z.boolean(),
    actions: z.array(EarlierServiceAction).openapi({ description: 'The buttons this tile offers.' }),
    error: z.string().nullable().openapi({ description: 'Why the state is unknown, in plain words.' }),
  })
  .openapi('EarlierServiceTile')
export type EarlierServiceTile = z.infer<typeof EarlierServiceTile>

/** Keyed by service name and nothing else at the top level; hidden services are absent. */
export const EarlierServicesAnswer = z.record(z.string(), EarlierServiceTile).openapi('EarlierServices')
export type EarlierServicesAnswer = z.infer<typeof EarlierServicesAnswer>

export const EarlierServiceActionAnswer = z
  .object({
    ok: z.boolean(),
    name: z.string(),
    action: EarlierServiceAction,
    dry_run: z.boolean(),
    node: z.string(),
    container: z.string(),
    commands: z.array(OpsCommand),
    duration_s: z.number().nullable(),
    detail: z.string().openapi({ description: 'What happened, in plain words.' }),
    /** Update only: the output's last lines (git pull, compose). */
    output: z.array(z.string()).optional(),
  })
  .openapi('EarlierServiceAction')
export type EarlierServiceActionAnswer = z.infer<typeof EarlierServiceActionAnswer>

export const EarlierServiceLogsAnswer = z
  .object({
    name: z.string(),
    container: z.string(),
    node: z.string(),
    lines: z.array(z.string()),
  })
  .openapi('EarlierServiceLogs')
export type EarlierServiceLogsAnswer = z.infer<typeof EarlierServiceLogsAnswer>

// ---------------------------------------------------------------------------------------------
// NIM install

/** `nvcr.io/nim/<org>/<name>:<tag>`, the form NVIDIA publishes NIMs under; lower-case as registries require. */
export const NIM_IMAGE =
  /^nvcr\.io\/nim\/[a-z0-9][a-z0-9._-]{0,63}\/[a-z0-9][a-z0-9._-]{0,127}:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
/** An environment variable name as POSIX shells accept it, upper case. */
export const ENV_KEY = /^[A-Z_][A-Z0-9_]{0,127}$/

const envValue = z
  .string()
  .max(4096)
  .refine((v) => !/[\0\r\n]/.test(v), 'must not contain NUL or line breaks')

/** Checked at the boundary: everything here reaches a command line on a Spark (quoted, word by word). */
export const NimInstallRequest = z
  .object({
    node: safeName('a node name')
      .optional()
      .openapi({ description: 'Inventory node; default the worker (spark-2).' }),
    image: z
      .string()
      .regex(NIM_IMAGE, 'must be nvcr.io/nim/<org>/<name>:<tag> (lower-case letters, digits, `. _ -`)')
      .openapi({ example: 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4' }),
    name: safeName('a container name')
      .optional()
      .openapi({ description: "Container name; default the image's name." }),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .openapi({ description: "Host port for the NIM's 8000; default 8000." }),
    env: z
      .record(z.string().regex(ENV_KEY, 'must be an environment variable name `[A-Z_][A-Z0-9_]*`'), envValue)
      .refine((env) => Object.keys(env).length <= 64, 'at most 64 variables')
      .optional(),
    dry_run: z.boolean().optional(),
    confirm: z.boolean().optional(),
  })
  .openapi('NimInstallRequest')
export type NimInstallRequest = z.infer<typeof NimInstallRequest>

export const NimInstallAnswer = z
  .object({
    dry_run: z.boolean(),
    installed: z.boolean(),
    node: z.string(),
    name: z.string(),
    image: z.string(),
    port: z.number().int(),
    url: z.string().nullable(),
    commands: z.array(OpsCommand).openapi({ description: 'The NGC key never appears; it goes on stdin.' }),
    container_id: z.string().nullable(),
    duration_s: z.number().nullable(),
  })
  .openapi('NimInstall')
export type NimInstallAnswer = z.infer<typeof NimInstallAnswer>
