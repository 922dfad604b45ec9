/**
 * Every service's audit entries in one table: when, which service, who, what (and on what), how it
 * ended, how long, details. Rows keep `data-action` and `data-outcome` for scripts and tests.
 */
import type { MergedAuditEntry } from '../../shared/contracts/audit.ts'
import { duration, sumMs } from '../swap/format.ts'
import { actionWords, detailWords, outcomeWords } from '../swap/history-table.tsx'

export function AuditTable({ entries }: { entries: MergedAuditEntry[] }) {
  if (entries.length === 0) return <p class="muted">No change matches these filters.</p>
  return (
    <div class="table-wrap">
      <table class="history">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Service</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Result</th>
            <th scope="col">Took</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr
              data-audit={`${e.service}:${e.id}`}
              data-service={e.service}
              data-action={e.action}
              data-outcome={e.outcome}
            >
              <td data-label="When (UTC)">
                <time datetime={e.at}>{e.at.slice(0, 19).replace('T', ' ')}</time>
              </td>
              <td data-label="Service">{e.service}</td>
              <td data-label="Who">{e.actor}</td>
              <td data-label="What">
                <span title={e.action}>{actionWords(e.action)}</span>
                {e.target ? <strong> {e.target}</strong> : null}
                {e.dry_run ? <span class="badge tone-off">dry run</span> : null}
              </td>
              <td data-label="Result" title={e.outcome}>
                {outcomeWords(e.outcome)}
              </td>
              <td data-label="Took">{duration(sumMs(e.duration_ms))}</td>
              <td class="detail-cell" data-label={e.detail ? 'Details' : undefined}>
                {detailWords(e.detail)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
