/**
 * `GET /api/<service>/audit`: one service's audit log, newest first, with the filters of
 * shared/contracts/audit.ts. The gateway forwards the path unchanged (its `/api/<service>/…`
 * namespace) and merges every service's answer into `GET /api/audit`.
 */
import { createRoute } from '@hono/zod-openapi'
import {
  AUDIT_LIMIT,
  type AuditQueryParams,
  auditQuerySchema,
  serviceAuditSchema,
} from '../contracts/audit.ts'
import { jsonContent } from '../openapi.ts'
import { createRouter, type ServiceApp } from '../service.ts'
import type { ServiceName } from '../topology.ts'
import type { AuditReader } from './store.ts'
import type { AuditQuery } from './table.ts'

export const auditPath = (service: ServiceName) => `/api/${service}/audit`

/** The wire's filters as a store query (times to milliseconds, the limit bounded). */
export function auditQueryFrom(params: AuditQueryParams): AuditQuery {
  const ms = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value))
  return {
    actor: params.actor,
    actionPrefix: params.action,
    target: params.target,
    outcome: params.outcome,
    sinceMs: ms(params.since),
    untilMs: ms(params.until),
    limit: Math.min(AUDIT_LIMIT.max, params.limit === undefined ? AUDIT_LIMIT.default : Number(params.limit)),
  }
}

export function auditRoutes({ service, reader }: { service: ServiceName; reader: AuditReader }): ServiceApp {
  const route = createRoute({
    method: 'get',
    path: auditPath(service),
    tags: ['audit'],
    summary: `The ${service}'s audit log, newest first (who changed what, when, with what outcome)`,
    request: { query: auditQuerySchema },
    responses: { 200: jsonContent('Audit entries', serviceAuditSchema) },
  })
  const router = createRouter()
  router.openapi(route, (c) => c.json({ entries: reader.query(auditQueryFrom(c.req.valid('query'))) }, 200))
  return router
}
