/**
 * Discovery: `GET /api/status` (the aggregated view; also the apps' reachability ping, so it is 200
 * whatever is down) and the earlier `GET /api/endpoints`.
 */
import { createRoute } from '@hono/zod-openapi'
import type * as wire from '../../../shared/contracts/gateway.ts'
import { endpointsSchema, statusBodySchema } from '../../../shared/contracts/gateway.ts'
import type { Same } from '../../../shared/contracts/same.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { GetStatus } from '../adapters/service-probe.ts'
import type { CapabilityStatus } from '../domain/capability-status.ts'
import { buildEndpoints, type EndpointEntry, statusBody } from '../domain/discovery.ts'

// The gateway builds exactly the contract's capabilities and endpoints; a drift fails tsc here.
true satisfies Same<CapabilityStatus, wire.CapabilityStatus>
true satisfies Same<EndpointEntry, wire.EndpointEntry>

const statusRoute = createRoute({
  method: 'get',
  path: '/api/status',
  tags: ['gateway'],
  summary: 'Cluster status: every service, upstream and Spark, the loaded model, one summary sentence',
  responses: {
    200: jsonContent('Always 200, even when parts are down', statusBodySchema),
  },
})

const endpointsRoute = createRoute({
  method: 'get',
  path: '/api/endpoints',
  tags: ['gateway'],
  summary:
    'Discovery: per upstream (vllm, parakeet, kokoro, embeddings, qdrant) whether it is ready and its model',
  responses: {
    200: jsonContent('Keyed by upstream name', endpointsSchema),
  },
})

export function statusRoutes({ getStatus }: { getStatus: GetStatus }): ServiceApp {
  const router = createRouter()
  router.openapi(statusRoute, async (c) => c.json(statusBody(await getStatus()), 200))
  router.openapi(endpointsRoute, async (c) => c.json(buildEndpoints(await getStatus()), 200))
  return router
}
