/**
 * Every change to the cluster, newest first: the audit log of the swap-controller, read-only.
 */
import { AuditTable } from '../components/audit-table.tsx'
import type { AuditEntry } from './source.ts'

export function HistoryTable({ entries }: { entries: AuditEntry[] | null }) {
  if (entries === null) return <p class="muted">The history is not available right now; reload to retry.</p>
  if (entries.length === 0) return <p class="muted">Nothing has changed on the cluster yet.</p>
  return <AuditTable entries={entries} />
}
