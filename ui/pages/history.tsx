/** Every change made to the cluster: the swap-controller's audit log as a table. */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { HistoryTable } from '../swap/history-table.tsx'
import type { AuditEntry } from '../swap/source.ts'

export function HistoryPage({ chrome, entries }: { chrome: Chrome; entries: AuditEntry[] | null }) {
  return (
    <Layout title="History" current="history" chrome={chrome}>
      <h1>History</h1>
      <p class="help">
        Every change made to the cluster, newest first: model switches, cancels and stops, swap reservations,
        model downloads and deletes, scheduled switches — who asked, when, and how it went. Dry runs (checks
        that changed nothing) are marked.
      </p>
      <HistoryTable entries={entries} />
    </Layout>
  )
}
