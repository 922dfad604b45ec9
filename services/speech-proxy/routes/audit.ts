/**
 * The speech-proxy's audit log, `GET /api/speech-proxy/audit`. It keeps no state a request can
 * change — transcriptions, diarizations and voices are answered and forgotten, and speaker links
 * live only inside one request — so nothing is recorded yet; the route is there so the merged view
 * (`GET /api/audit`) reads every service the same way, and a later mutation has its place.
 */
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { AuditStore } from '../../../shared/audit/store.ts'
import type { ServiceApp } from '../../../shared/service.ts'

export function mountAudit(app: ServiceApp, audit: AuditStore | undefined): void {
  if (audit) app.route('/', auditRoutes({ service: 'speech-proxy', reader: audit }))
}
