/**
 * The swap-controller's telemetry on the wire: `GET /api/swap/telemetry` (each node's latest GPU,
 * memory and disk readings, vLLM's metrics, the sparkline history as columns) and the `telemetry`
 * event of `GET /api/swap/telemetry/stream` (the same without history). The dashboard reads it every
 * few seconds; the routes publish their OpenAPI from these schemas.
 */
import { z } from '@hono/zod-openapi'

const num = z.number().nullable()
/** A reading stamped with the time it was read (so its age shows), or null before the first one. */
const stamped = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, at: z.string() }).nullable()
const latency = z.object({ p50: num, p95: num })

export const nodeTelemetrySchema = z.object({
  node: z.string(),
  role: z.enum(['head', 'worker']),
  configured: z.boolean().openapi({
    description: 'False when the node has no SSH user: listed, never polled.',
  }),
  gpu: stamped({
    utilization_pct: num,
    temperature_c: num,
    power_w: num,
    sm_clock_mhz: num,
    throttle_reasons: z.array(z.string()).nullable().openapi({
      description: 'nvidia-smi clock event reasons, e.g. `sw_thermal_slowdown`; [] when none.',
    }),
  }),
  memory: stamped({ total_bytes: z.number(), available_bytes: z.number(), used_bytes: z.number() }).openapi({
    description: 'From /proc/meminfo (GB10 has unified memory; nvidia-smi memory is N/A).',
  }),
  disk: stamped({
    path: z.string(),
    total_bytes: z.number(),
    used_bytes: z.number(),
    available_bytes: z.number(),
    used_pct: z.number(),
  }).openapi({
    description: 'The filesystem of the model cache (MODEL_CACHE_DIR).',
  }),
  errors: z.array(
    z.object({ source: z.enum(['gpu', 'memory', 'disk']), message: z.string(), at: z.string() }),
  ),
  polls: z.number(),
  skipped: z.number().openapi({ description: 'Ticks skipped because the previous one was still running.' }),
})

const vllmModel = z.object({
  model_name: z.string(),
  running: num,
  waiting: num,
  kv_cache_pct: num,
  prompt_tokens_per_s: num,
  generation_tokens_per_s: num,
  ttft_s: latency,
  itl_s: latency.openapi({ description: 'Inter-token latency between the last two scrapes.' }),
})

export const vllmTelemetrySchema = z.object({
  base_url: z.string().nullable(),
  at: z.string().nullable(),
  models: z.array(vllmModel),
  error: z.object({ message: z.string(), at: z.string() }).nullable(),
  polls: z.number(),
  skipped: z.number(),
})

const series = z.array(num)
const HISTORY = 'One array per series, oldest first; `at_ms` is the time axis.'

export const nodeHistorySchema = z
  .object({
    at_ms: z.array(z.number()),
    gpu_util_pct: series,
    temperature_c: series,
    power_w: series,
    sm_clock_mhz: series,
    memory_available_bytes: series,
  })
  .openapi({ description: HISTORY })

export const vllmHistorySchema = z
  .object({
    at_ms: z.array(z.number()),
    running: series,
    waiting: series,
    kv_cache_pct: series,
    prompt_tokens_per_s: series,
    generation_tokens_per_s: series,
    ttft_p50_s: series,
    itl_p50_s: series,
  })
  .openapi({ description: HISTORY })

export const telemetrySchema = z
  .object({
    simulated: z.boolean(),
    interval_ms: z.number(),
    generated_at: z.string(),
    nodes: z.array(nodeTelemetrySchema.extend({ history: nodeHistorySchema })),
    vllm: vllmTelemetrySchema.extend({ history: vllmHistorySchema }),
  })
  .openapi('SwapTelemetry')

/** The `telemetry` event: the latest readings after a poll of `source` (a node name, `vllm` or `snapshot`). */
export const telemetryEventSchema = z.object({
  source: z.string(),
  simulated: z.boolean(),
  generated_at: z.string(),
  interval_ms: z.number(),
  nodes: z.array(nodeTelemetrySchema),
  vllm: vllmTelemetrySchema,
})

export type TelemetryView = z.infer<typeof telemetrySchema>
export type TelemetryEvent = z.infer<typeof telemetryEventSchema>
