/**
 * The gateway's own answers that other processes and the apps read: `GET /api/status` (the cluster
 * status, built from every service's `/ready`, capability by capability; the dashboard renders the
 * same object) and the earlier `GET /api/endpoints`. Zod schemas (the gateway's routes publish their OpenAPI from them)
 * and the types inferred from them; shapes are recorded in docs/COMPATIBILITY.md.
 */
import { z } from '@hono/zod-openapi'
import { BACKEND_SERVICES, SERVICE_NAMES, UPSTREAM_NAMES } from '../topology.ts'

const dependencyState = z.enum(['up', 'busy', 'down', 'not_configured', 'disabled'])
const seenState = z.enum([...dependencyState.options, 'unknown'])
const serviceName = z.enum(SERVICE_NAMES)
const upstreamName = z.enum(UPSTREAM_NAMES)

const dependency = z.object({
  state: dependencyState,
  detail: z.string().optional(),
  latency_ms: z.number().optional(),
  info: z.record(z.string(), z.unknown()).optional(),
  critical: z.boolean(),
})

const serviceStatus = z.object({
  name: serviceName,
  state: z.enum(['up', 'degraded', 'down', 'not_configured']),
  detail: z.string().openapi({ description: 'Plain-language line for the dashboard.' }),
  url: z.string().nullable(),
  latency_ms: z.number().nullable(),
  dependencies: z.record(z.string(), dependency),
})

const upstreamStatus = z.object({
  name: upstreamName.openapi({ example: 'vllm' }),
  kind: z.string(),
  state: seenState,
  ready: z.boolean(),
  disabled: z.boolean(),
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  detail: z.string(),
  via: serviceName.openapi({ description: 'Which of our services reported it.' }),
})

const nodeStatus = z.object({
  name: z.string(),
  host: z.string(),
  role: z.string(),
  reachable: z.boolean(),
  state: seenState,
  detail: z.string(),
})

/** A capability's state (shared/capabilities.ts): a dependency's, `not_built` (answers 501), or unknown. */
export const capabilityState = z.enum([...dependencyState.options, 'not_built', 'unknown'])

const capabilityStatus = z
  .object({
    name: z.string().openapi({ example: 'transcription' }),
    title: z.string().openapi({ example: 'Transcription' }),
    service: z.enum(BACKEND_SERVICES),
    state: capabilityState,
    ready: z.boolean().openapi({ description: 'Built, and every upstream it needs is up.' }),
    detail: z.string(),
    needs: z.array(z.string()),
    built: z.array(z.string()).openapi({ description: 'Routes that answer today.' }),
    planned: z.array(z.string()).openapi({ description: 'Routes that answer 501 until built.' }),
  })
  .openapi('Capability')

/** A planned model switch the swap-controller is running: not a fault, whatever vLLM answers meanwhile. */
const switchingSchema = z
  .object({
    job_id: z.string(),
    status: z.string().openapi({ description: "The swap's step (`stopping`, `loading`, `rolling-back`…)." }),
    recipe: z.string(),
    model: z.string().openapi({ description: 'The model being loaded.' }),
    from_model: z.string().nullable(),
    started_at: z.string(),
    percent: z.number().nullable(),
    eta_s: z.number().nullable().openapi({ description: 'Seconds left, when the controller can tell.' }),
  })
  .openapi('Switching')

/** The one view of the system the dashboard renders. */
export const clusterStatusSchema = z.object({
  simulated: z.boolean().openapi({ description: 'True when the Sparks are the simulator.' }),
  overall: z.enum(['ok', 'degraded', 'down']),
  summary: z.string().openapi({ example: 'Everything is working' }),
  loaded_model: z.string().nullable(),
  services: z.array(serviceStatus),
  upstreams: z.array(upstreamStatus),
  nodes: z.array(nodeStatus),
  capabilities: z.array(capabilityStatus).openapi({
    description: 'What works, capability by capability; discovery reads this, not upstream health.',
  }),
  checked_at: z.string(),
  switching: switchingSchema.nullable().openapi({
    description:
      'The model switch under way, or null. While it runs, the chat model being away is not a fault.',
  }),
})

/** `GET /api/status`: the cluster status plus the earlier clients' `model`. */
export const statusBodySchema = clusterStatusSchema
  .extend({
    model: z.string().nullable().openapi({
      description: 'Same as loaded_model; the earlier clients read this.',
    }),
  })
  .openapi('ClusterStatus')

export const endpointSchema = z
  .object({
    name: upstreamName,
    kind: z.string(),
    base_url: z.string().nullable().openapi({ description: 'Informational; always call the gateway.' }),
    ready: z.boolean(),
    status: z.enum(['ready', 'not_ready', 'disabled']),
    model: z.string().nullable(),
    disabled: z.boolean(),
    capabilities: z.record(z.string(), capabilityState).openapi({
      description: 'The capabilities that use this upstream; it is ready only while one of them is.',
      example: { transcription: 'not_built' },
    }),
  })
  .openapi('Endpoint')

/** `GET /api/endpoints`: keyed by upstream name; nothing else sits at the top level. */
export const endpointsSchema = z.record(z.string(), endpointSchema).openapi('Endpoints')

export type ServiceStatus = z.infer<typeof serviceStatus>
export type UpstreamStatus = z.infer<typeof upstreamStatus>
export type NodeStatus = z.infer<typeof nodeStatus>
export type CapabilityStatus = z.infer<typeof capabilityStatus>
export type ClusterStatus = z.infer<typeof clusterStatusSchema>
export type Switching = z.infer<typeof switchingSchema>
export type EndpointEntry = z.infer<typeof endpointSchema>
