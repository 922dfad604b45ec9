/**
 * The Spark service containers (new, problem+json): `GET /api/ops/services` (each service's
 * container state, uptime, restarts, memory and last health, and the auto-restart settings with
 * its recent restarts and refusals), `POST /api/ops/services/{name}/restart` (`dry_run`: the
 * commands, nothing run; without `confirm: true` or `dry_run` 428; 404 for an unknown service,
 * 409 while a swap or stop uses its node; audited as `ops.restart`) and
 * `GET /api/ops/services/{name}/logs?lines=` (the container log's last lines, at most 1000).
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  OpsMutationRequest,
  OpsServicesAnswer,
  RestartAnswer,
} from '../../../shared/contracts/swap-controller.ts'
import { confirmationRequired, notFound } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { AutoRestartPolicy } from '../domain/ops/auto-restart.ts'
import type { ServiceContainers } from '../domain/ops/ports.ts'
import { problem } from './swap-schemas.ts'

export const OPS_SERVICES_PATH = '/api/ops/services'
const MAX_LOG_LINES = 1000

const nameParam = z.object({
  name: z
    .string()
    .max(64)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'parakeet' }),
})
const actorHeader = z.object({
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

const listRoute = createRoute({
  method: 'get',
  path: OPS_SERVICES_PATH,
  tags: ['ops'],
  summary: 'The Spark service containers: state, uptime, restarts, memory, last health; auto-restart',
  responses: { 200: jsonContent('Every service, hidden ones marked `disabled`', OpsServicesAnswer) },
})

const restartRoute = createRoute({
  method: 'post',
  path: `${OPS_SERVICES_PATH}/{name}/restart`,
  tags: ['ops'],
  summary: 'Restart one service container (`dry_run`: the commands; `confirm: true` to run them)',
  request: { params: nameParam, headers: actorHeader, body: jsonBody(OpsMutationRequest, false) },
  responses: {
    200: jsonContent('Restarted (with the first health answer after it), or the dry run', RestartAnswer),
    404: problem('No such service (or hidden by DISABLED_SERVICES)'),
    409: problem('A swap or stop is using its node (`node`), or its node is not in the inventory'),
    422: problem('Invalid body'),
    428: problem('Neither `confirm: true` nor `dry_run`: nothing was done'),
    502: problem('docker restart failed on the node, or the node did not answer'),
  },
})

const logsRoute = createRoute({
  method: 'get',
  path: `${OPS_SERVICES_PATH}/{name}/logs`,
  tags: ['ops'],
  summary: "The last lines of a service container's log (stdout and stderr in write order)",
  request: {
    params: nameParam,
    query: z.object({ lines: z.coerce.number().int().min(1).max(MAX_LOG_LINES).default(200) }),
  },
  responses: {
    200: jsonContent(
      'The log tail',
      z.object({ service: z.string(), lines: z.array(z.string()) }).openapi('OpsServiceLogs'),
    ),
    404: problem('No such service'),
    502: problem('docker logs failed on the node, or the node did not answer'),
  },
})

export interface OpsServicesRouteDeps {
  containers: ServiceContainers
  autoRestart: Pick<AutoRestartPolicy, 'enabled' | 'max' | 'windowMs'>
  simulated: boolean
}

export function opsServicesRoutes({ containers, autoRestart, simulated }: OpsServicesRouteDeps): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, async (c) => {
    const services = await containers.list(c.req.raw.signal)
    return c.json(
      {
        simulated,
        services,
        auto_restart: {
          enabled: autoRestart.enabled,
          max: autoRestart.max,
          window_s: Math.round(autoRestart.windowMs / 1000),
          recent: [...containers.autoRestarts()].slice(0, 50),
        },
      },
      200,
    )
  })
  router.openapi(restartRoute, async (c) => {
    const { name } = c.req.valid('param')
    const body = c.req.valid('json') ?? {}
    const dryRun = body.dry_run === true
    // Known service first: an unknown name is 404 whatever the body says.
    if (!containers.specs().some((s) => s.name === name && !s.disabled))
      throw notFound(`There is no service named ${name}.`)
    if (!dryRun && body.confirm !== true) throw confirmationRequired(`Restarting ${name}`)
    const answer = await containers.act(name, 'restart', {
      actor: actorFrom((n) => c.req.header(n)),
      requestId: c.var.requestId,
      dryRun,
    })
    return c.json(answer, 200)
  })
  router.openapi(logsRoute, async (c) => {
    const { name } = c.req.valid('param')
    const { lines } = c.req.valid('query')
    return c.json({ service: name, lines: await containers.logs(name, lines, c.req.raw.signal) }, 200)
  })
  return router
}
