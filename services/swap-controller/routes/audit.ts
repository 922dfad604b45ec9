/**
 * `GET /api/swap-controller/audit`: the coordination audit log (the rows `GET /api/swap/history`
 * shows) with every service's filters, for the gateway's merged view (`GET /api/audit`).
 */
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { ServiceApp } from '../../../shared/service.ts'
import type { Coordination } from '../domain/coordination/service.ts'

export function swapAuditRoutes({ coordination }: { coordination: Coordination }): ServiceApp {
  return auditRoutes({ service: 'swap-controller', reader: { query: (q) => coordination.auditLog(q) } })
}
