/**
 * The merged audit view: every service's newest entries, each tagged with its service, newest
 * first across all of them, cut to the limit asked. A service that did not answer is named with
 * the reason, so the view says what it is missing instead of failing.
 */
import type { MergedAudit, MergedAuditEntry, ServiceAuditEntry } from '../../../shared/contracts/audit.ts'
import type { ServiceName } from '../../../shared/topology.ts'

export type ServiceAuditRead =
  | { service: ServiceName; ok: true; entries: ServiceAuditEntry[] }
  | { service: ServiceName; ok: false; reason: string }

export function mergeAudits(reads: readonly ServiceAuditRead[], limit: number): MergedAudit {
  const entries: MergedAuditEntry[] = []
  const unavailable: MergedAudit['unavailable'] = []
  for (const read of reads) {
    if (read.ok) for (const entry of read.entries) entries.push({ ...entry, service: read.service })
    else unavailable.push({ service: read.service, reason: read.reason })
  }
  // Every service writes `at` the same way (UTC, six fractional digits), so text order is time order.
  entries.sort((a, b) => (a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1))
  return { entries: entries.slice(0, limit), unavailable }
}
