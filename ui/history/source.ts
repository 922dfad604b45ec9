/** What the History page reads: every service's audit log merged by the gateway (`GET /api/audit`). */
import type { AuditQueryParams, MergedAudit } from '../../shared/contracts/audit.ts'
import type { ServiceName } from '../../shared/topology.ts'

export type AuditViewQuery = AuditQueryParams & { service?: ServiceName }

export interface AuditViewSource {
  read(query: AuditViewQuery, signal?: AbortSignal): Promise<MergedAudit>
}
