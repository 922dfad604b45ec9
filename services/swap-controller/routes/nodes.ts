/**
 * `GET /api/swap-controller/nodes[/{name}]`: each Spark's SSH state, memory (from /proc/meminfo —
 * GB10 has no separate GPU memory), GPU telemetry and vLLM container. Read-only; a probe that fails
 * is reported in the node's `errors`, not as a failed request.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { notFound } from '../../../shared/errors.ts'
import { safeName } from '../../../shared/names.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { NodeStatus } from '../adapters/node-status.ts'

const nullableNumber = z.number().nullable()

const nodeView = z
  .object({
    name: z.string(),
    host: z.string(),
    role: z.string().openapi({ description: '`head` serves vLLM; `worker` joins it for multi-node models.' }),
    ssh: z.object({
      state: z.enum(['connected', 'connecting', 'down', 'not_configured']),
      since: z.string().nullable(),
      last_error: z.string().nullable(),
    }),
    memory: z
      .object({ total_bytes: z.number(), available_bytes: z.number() })
      .nullable()
      .openapi({ description: 'From /proc/meminfo; on GB10 this is the unified CPU+GPU memory.' }),
    gpu: z
      .object({
        utilization_pct: nullableNumber,
        temperature_c: nullableNumber,
        power_w: nullableNumber,
        sm_clock_mhz: nullableNumber,
        memory_used_mib: nullableNumber,
        memory_total_mib: nullableNumber,
      })
      .nullable()
      .openapi({ description: 'nvidia-smi; fields it reports as [N/A] (GB10 memory) are null.' }),
    vllm_container: z
      .object({ name: z.string(), state: z.string(), status: z.string(), running: z.boolean() })
      .nullable()
      .openapi({ description: 'The vLLM container (VLLM_CONTAINER), running or stopped; null when absent.' }),
    errors: z.array(z.object({ probe: z.enum(['memory', 'gpu', 'vllm_container']), message: z.string() })),
  })
  .openapi('SparkNode')

const nodeList = z.object({ simulated: z.boolean(), nodes: z.array(nodeView) }).openapi('SparkNodeList')

const problem = {
  description: 'Problem details (RFC 9457)',
  content: {
    'application/problem+json': {
      schema: z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }),
    },
  },
}

const listRoute = createRoute({
  method: 'get',
  path: '/api/swap-controller/nodes',
  tags: ['swap-controller'],
  summary: 'Every Spark node: SSH state, memory, GPU and vLLM container',
  responses: { 200: jsonContent('The nodes of the inventory', nodeList) },
})

const oneRoute = createRoute({
  method: 'get',
  path: '/api/swap-controller/nodes/{name}',
  tags: ['swap-controller'],
  summary: 'One Spark node',
  request: {
    params: z.object({
      name: safeName('a node name').openapi({ param: { name: 'name', in: 'path' }, example: 'spark-1' }),
    }),
  },
  responses: {
    200: jsonContent('The node', nodeView),
    404: { ...problem, description: 'No node of that name' },
    422: { ...problem, description: 'Not a valid node name' },
  },
})

export interface NodesRouteDeps {
  nodes: NodeStatus
  simulated: boolean
}

export function nodesRoutes({ nodes, simulated }: NodesRouteDeps): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, async (c) => c.json({ simulated, nodes: await nodes.all() }, 200))
  router.openapi(oneRoute, async (c) => {
    const { name } = c.req.valid('param')
    const view = nodes.get(name)
    if (!view) throw notFound(`No node named ${name}; known: ${nodes.names().join(', ') || 'none'}.`)
    return c.json(await view, 200)
  })
  return router
}
