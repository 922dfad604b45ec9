/**
 * The redaction-gateway's audit: a map deletion is its one change made on request (scrubs create
 * maps as data, at the apps' pace, and are counted in the stats instead). The map is named by a
 * short hash of its handle — the handle unlocks the map's values, so it is never stored — and
 * `GET /api/redaction-gateway/audit` reads the log.
 */
import { createHash } from 'node:crypto'
import { type AuditedMutation, auditMutations } from '../../../shared/audit/middleware.ts'
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { AuditStore } from '../../../shared/audit/store.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import { MAPS_PATH } from './maps.ts'

/** Twelve hex digits: enough to tell maps apart in a log, useless for reaching one. */
export const mapTarget = (handle: string) =>
  `map:${createHash('sha256').update(handle).digest('hex').slice(0, 12)}`

const MUTATIONS: AuditedMutation[] = [
  {
    method: 'DELETE',
    path: `${MAPS_PATH}/:handle`,
    action: 'map.delete',
    target: (c) => mapTarget(c.req.param('handle') ?? ''),
  },
]

/** Before the routes: the recording wraps their handlers. */
export function mountAudit(app: ServiceApp, audit: AuditStore | undefined): void {
  if (!audit) return
  auditMutations(app, audit, MUTATIONS)
  app.route('/', auditRoutes({ service: 'redaction-gateway', reader: audit }))
}
