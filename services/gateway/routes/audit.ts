/**
 * `GET /api/audit`: one view of every service's audit log (swaps, locks, models, settings, keys,
 * logins, collections, maps, maintenance), newest first, each entry with its `service`; the
 * services that could not be read are listed in `unavailable`. `GET /api/gateway/audit`: the
 * gateway's own log, the same way every backend serves its own.
 */
import { createRoute } from '@hono/zod-openapi'
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { AuditReader } from '../../../shared/audit/store.ts'
import { mergedAuditQuerySchema, mergedAuditSchema } from '../../../shared/contracts/audit.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { AuditSource } from '../adapters/audit-source.ts'

export const MERGED_AUDIT_PATH = '/api/audit'

const mergedRoute = createRoute({
  method: 'get',
  path: MERGED_AUDIT_PATH,
  tags: ['audit'],
  summary: 'Every service’s audit log in one view, newest first (who changed what, when, how it ended)',
  request: { query: mergedAuditQuerySchema },
  responses: { 200: jsonContent('Entries, and the services that could not be read', mergedAuditSchema) },
})

export function mergedAuditRoutes({ source, own }: { source: AuditSource; own?: AuditReader }): ServiceApp {
  const router = createRouter()
  router.openapi(mergedRoute, async (c) =>
    c.json(await source.read(c.req.valid('query'), c.req.raw.signal), 200),
  )
  if (own) router.route('/', auditRoutes({ service: 'gateway', reader: own }))
  return router
}
