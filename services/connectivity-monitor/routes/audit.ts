/**
 * The connectivity monitor's audit: maintenance windows planned and ended on request (the
 * outcome reports and health events the apps send are data, at their pace, and are not audited),
 * and `GET /api/connectivity-monitor/audit` to read them.
 */
import { type AuditedMutation, auditMutations, validated } from '../../../shared/audit/middleware.ts'
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { AuditStore } from '../../../shared/audit/store.ts'
import type { ServiceApp } from '../../../shared/service.ts'

const PATH = '/api/monitor/maintenance'

const MUTATIONS: AuditedMutation[] = [
  {
    method: 'POST',
    path: PATH,
    action: 'maintenance.add',
    target: (c) => validated<{ targets?: string[] }>(c, 'json')?.targets?.join(','),
    detail: (c) => {
      const until = validated<{ ends_at?: string }>(c, 'json')?.ends_at
      return until ? `until ${until}` : null
    },
  },
  { method: 'DELETE', path: `${PATH}/:id`, action: 'maintenance.remove', target: (c) => c.req.param('id') },
]

/** Before the routes: the recording wraps their handlers. */
export function mountAudit(app: ServiceApp, audit: AuditStore | undefined): void {
  if (!audit) return
  auditMutations(app, audit, MUTATIONS)
  app.route('/', auditRoutes({ service: 'connectivity-monitor', reader: audit }))
}
