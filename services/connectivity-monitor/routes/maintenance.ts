/**
 * Planned maintenance: `GET /api/monitor/maintenance` (the windows now and to come, and the one a
 * running swap holds on vLLM), `POST` to open one and `DELETE …/{id}` to end one early. A window
 * covers the targets it names, `*`, or a node and what runs on it (domain/maintenance). The two
 * changes come from a person or an explicit API call, so each writes an audit line with who asked
 * (`X-Spark-Actor`, which the gateway sets from the API key) and the request id.
 */
import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { badRequest, notFound } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import { ALL_TARGETS } from '../domain/maintenance/maintenance.ts'
import type { Clock, Maintenance, Target } from '../domain/ports.ts'
import {
  MaintenanceRemoved,
  MaintenanceRequest,
  MaintenanceWindow,
  MaintenanceWindows,
  problem,
  WindowIdParam,
} from './monitor-schemas.ts'

export interface MaintenanceRouteDeps {
  maintenance: Maintenance
  targets: readonly Target[]
  clock: Clock
}

const tags = ['monitor']
const PATH = '/api/monitor/maintenance'
const MAX_ACTOR_CHARS = 64

const listRoute = createRoute({
  method: 'get',
  path: PATH,
  tags,
  summary: 'Maintenance windows now and to come (a running swap’s, on vLLM, is open-ended)',
  responses: { 200: jsonContent('The windows', MaintenanceWindows) },
})

const addRoute = createRoute({
  method: 'post',
  path: PATH,
  tags,
  summary: 'Plan maintenance: the targets (ids, node names, or `*`) are shown under maintenance, never down',
  request: { body: jsonBody(MaintenanceRequest) },
  responses: {
    201: jsonContent('The window', MaintenanceWindow),
    400: problem('A target the monitor does not know'),
    409: problem('Too many windows are kept already'),
    422: problem('Invalid body: the failing fields are named (an end before the start or already past too)'),
  },
})

const removeRoute = createRoute({
  method: 'delete',
  path: `${PATH}/{id}`,
  tags,
  summary: 'End a maintenance window now',
  request: { params: WindowIdParam },
  responses: {
    200: jsonContent('Removed', MaintenanceRemoved),
    404: problem('No such window (the swap’s ends with the swap)'),
  },
})

/** Who asked, for the audit line: the gateway's `X-Spark-Actor`, else the dashboard or a plain API call. */
function actorOf(c: Context<AppEnv>): string {
  const named = c.req
    .header('x-spark-actor')
    ?.replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, MAX_ACTOR_CHARS)
  return named || (c.req.header('hx-request') === 'true' ? 'dashboard' : 'api')
}

function audit(c: Context<AppEnv>, action: string, fields: Record<string, unknown>) {
  c.var.log.info({ audit: { action, actor: actorOf(c), request_id: c.var.requestId, ...fields } }, 'audit')
}

export function maintenanceRoutes({ maintenance, targets, clock }: MaintenanceRouteDeps): ServiceApp {
  const router = createRouter()
  const known = new Set([
    ALL_TARGETS,
    ...targets.map((t) => t.id),
    ...targets.flatMap((t) => (t.host ? [t.host] : [])),
  ])

  router.openapi(listRoute, (c) => c.json({ windows: maintenance.windows(clock.now()) }, 200))

  router.openapi(addRoute, (c) => {
    const request = c.req.valid('json')
    const unknown = request.targets.filter((t) => !known.has(t))
    if (unknown.length > 0)
      throw badRequest(`Unknown targets: ${unknown.join(', ')}; known: ${[...known].sort().join(', ')}.`)
    const window = maintenance.add(request, clock.now())
    audit(c, 'maintenance.add', {
      window: window.id,
      targets: window.targets,
      until: window.ends_at,
      reason: window.reason,
    })
    return c.json(window, 201)
  })

  router.openapi(removeRoute, (c) => {
    const { id } = c.req.valid('param')
    const removed = maintenance.remove(id)
    audit(c, 'maintenance.remove', { window: id, outcome: removed ? 'ok' : 'not_found' })
    if (!removed) throw notFound(`No maintenance window ${id}.`)
    return c.json({ id, removed: true as const }, 200)
  })
  return router
}
