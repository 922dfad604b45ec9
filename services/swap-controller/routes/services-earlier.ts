/**
 * The earlier service tiles (docs/COMPATIBILITY.md), `{"detail": ...}` errors:
 * - `GET /api/services` — every visible Spark service container as a tile, keyed by name;
 * - `POST /api/services/{name}/{action}` — `start`, `stop`, `restart`; a custom tile's `update`;
 *   `logs` (also as `GET /api/services/{name}/logs`). No body needed, as before; `?dry_run=true`
 *   shows the commands. The name is a safe name (422 otherwise) before anything looks it up.
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  EarlierServiceActionAnswer,
  EarlierServiceLogsAnswer,
  EarlierServicesAnswer,
} from '../../../shared/contracts/swap-controller.ts'
import { safeName } from '../../../shared/names.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { EarlierServices } from '../domain/ops/services-earlier.ts'
import { detail } from './swap-schemas.ts'

export const LOG_LINES_DEFAULT = 200
export const LOG_LINES_MAX = 5000

const nameParam = safeName('a service name').openapi({ example: 'parakeet' })
const flag = z.enum(['true', 'false', '1', '0']).optional()
const isOn = (v: string | undefined) => v === 'true' || v === '1'

const listRoute = createRoute({
  method: 'get',
  path: '/api/services',
  tags: ['services'],
  summary: 'The Spark service tiles: container state, health pill, host:port, model, restarts',
  responses: { 200: jsonContent('Keyed by service name; hidden services are absent', EarlierServicesAnswer) },
})

const actionRoute = createRoute({
  method: 'post',
  path: '/api/services/{name}/{action}',
  tags: ['services'],
  summary: 'start | stop | restart a service container; update a custom one; logs',
  request: {
    params: z.object({
      name: nameParam,
      action: z.string().max(32).openapi({ example: 'restart' }),
    }),
    query: z.object({
      dry_run: flag.openapi({ description: 'Show the commands; touch nothing.' }),
      lines: z
        .string()
        .regex(/^[0-9]{1,6}$/)
        .optional()
        .openapi({ description: '`logs`: how many lines.' }),
    }),
    body: jsonBody(z.object({ dry_run: z.boolean().optional() }).passthrough(), false),
  },
  responses: {
    200: jsonContent(
      'Done (or the dry run); `logs` answers the log tail',
      z.union([EarlierServiceActionAnswer, EarlierServiceLogsAnswer]),
    ),
    400: detail('Unknown action for this service'),
    404: detail('Unknown (or hidden) service'),
    409: detail('A swap is using the node, or the setting is unusable'),
    422: detail('Not a service name'),
    502: detail('The node ran the command and it failed'),
  },
})

const logsRoute = createRoute({
  method: 'get',
  path: '/api/services/{name}/logs',
  tags: ['services'],
  summary: "The service container's last log lines",
  request: {
    params: z.object({ name: nameParam }),
    query: z.object({
      lines: z
        .string()
        .regex(/^[0-9]{1,6}$/)
        .optional(),
    }),
  },
  responses: {
    200: jsonContent('The log tail, oldest first', EarlierServiceLogsAnswer),
    404: detail('Unknown (or hidden) service'),
    422: detail('Not a service name'),
  },
})

const lineCount = (v: string | undefined) =>
  Math.min(LOG_LINES_MAX, Math.max(1, v === undefined ? LOG_LINES_DEFAULT : Number(v)))

export function servicesEarlierRoutes({ services }: { services: EarlierServices }): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, async (c) => c.json(await services.tiles(c.req.raw.signal), 200))
  router.openapi(logsRoute, async (c) => {
    const { name } = c.req.valid('param')
    return c.json(await services.logs(name, lineCount(c.req.valid('query').lines), c.req.raw.signal), 200)
  })
  router.openapi(actionRoute, async (c) => {
    const { name, action } = c.req.valid('param')
    const query = c.req.valid('query')
    if (action === 'logs') {
      return c.json(await services.logs(name, lineCount(query.lines), c.req.raw.signal), 200)
    }
    const body = c.req.valid('json') ?? {}
    const answer = await services.act(name, action, {
      dryRun: isOn(query.dry_run) || body.dry_run === true,
      actor: actorFrom((n) => c.req.header(n)),
      requestId: c.var.requestId,
    })
    return c.json(answer, 200)
  })
  return router
}
