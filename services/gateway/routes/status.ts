/**
 * Discovery: `GET /api/status` (the aggregated view; also the apps' reachability ping, so it is 200
 * whatever is down) and the earlier `GET /api/endpoints`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { GetStatus } from '../adapters/service-probe.ts'
import { buildEndpoints, statusBody } from '../domain/discovery.ts'

const dependencyState = z.enum(['up', 'busy', 'down', 'not_configured', 'disabled'])

/** A capability's state: a dependency's, `not_built` (its routes answer 501), or unknown. */
export const capabilityState = z.enum([...dependencyState.options, 'not_built', 'unknown'])

const capabilityStatus = z
  .object({
    name: z.string().openapi({ example: 'transcription' }),
    title: z.string().openapi({ example: 'Transcription' }),
    service: z.string(),
    state: capabilityState,
    ready: z.boolean().openapi({ description: 'Built, and every upstream it needs is up.' }),
    detail: z.string(),
    needs: z.array(z.string()),
    built: z.array(z.string()).openapi({ description: 'Routes that answer today.' }),
    planned: z.array(z.string()).openapi({ description: 'Routes that answer 501 until built.' }),
  })
  .openapi('Capability')

const dependency = z.object({
  state: dependencyState,
  detail: z.string().optional(),
  latency_ms: z.number().optional(),
  info: z.record(z.string(), z.unknown()).optional(),
  critical: z.boolean(),
})

const serviceStatus = z.object({
  name: z.string(),
  state: z.enum(['up', 'degraded', 'down', 'not_configured']),
  detail: z.string().openapi({ description: 'Plain-language line for the dashboard.' }),
  url: z.string().nullable(),
  latency_ms: z.number().nullable(),
  dependencies: z.record(z.string(), dependency),
})

const upstreamStatus = z.object({
  name: z.string().openapi({ example: 'vllm' }),
  kind: z.string(),
  state: z.enum([...dependencyState.options, 'unknown']),
  ready: z.boolean(),
  disabled: z.boolean(),
  base_url: z.string().nullable(),
  model: z.string().nullable(),
  detail: z.string(),
  via: z.string().openapi({ description: 'Which of our services reported it.' }),
})

const nodeStatus = z.object({
  name: z.string(),
  host: z.string(),
  role: z.string(),
  reachable: z.boolean(),
  state: z.enum([...dependencyState.options, 'unknown']),
  detail: z.string(),
})

export const clusterStatusSchema = z
  .object({
    simulated: z.boolean().openapi({ description: 'True when the Sparks are the simulator.' }),
    overall: z.enum(['ok', 'degraded', 'down']),
    summary: z.string().openapi({ example: 'Everything is working' }),
    loaded_model: z.string().nullable(),
    model: z.string().nullable().openapi({
      description: 'Same as loaded_model; the earlier clients read this.',
    }),
    services: z.array(serviceStatus),
    upstreams: z.array(upstreamStatus),
    nodes: z.array(nodeStatus),
    capabilities: z.array(capabilityStatus).openapi({
      description: 'What works, capability by capability; discovery reads this, not upstream health.',
    }),
    checked_at: z.string(),
  })
  .openapi('ClusterStatus')

const endpointEntry = z
  .object({
    name: z.string(),
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

const statusRoute = createRoute({
  method: 'get',
  path: '/api/status',
  tags: ['gateway'],
  summary: 'Cluster status: every service, upstream and Spark, the loaded model, one summary sentence',
  responses: {
    200: {
      description: 'Always 200, even when parts are down',
      content: { 'application/json': { schema: clusterStatusSchema } },
    },
  },
})

const endpointsRoute = createRoute({
  method: 'get',
  path: '/api/endpoints',
  tags: ['gateway'],
  summary:
    'Discovery: per upstream (vllm, parakeet, kokoro, embeddings, qdrant) whether it is ready and its model',
  responses: {
    200: {
      description: 'Keyed by upstream name',
      content: { 'application/json': { schema: z.record(z.string(), endpointEntry).openapi('Endpoints') } },
    },
  },
})

export function statusRoutes({ getStatus }: { getStatus: GetStatus }): ServiceApp {
  const router = createRouter()
  router.openapi(statusRoute, async (c) => c.json(statusBody(await getStatus()), 200))
  router.openapi(endpointsRoute, async (c) => c.json(buildEndpoints(await getStatus()), 200))
  return router
}
