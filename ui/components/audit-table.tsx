/**
 * Audit entries, newest first: when, (which service,) who, what and on what, dry run or real, how
 * it ended, how long each step took, details. One table for the swap history and the merged log of
 * every service; rows keep `data-action` and `data-outcome` for scripts and tests.
 */
import type { ServiceAuditEntry } from '../../shared/contracts/audit.ts'
import { duration, sumMs } from '../swap/format.ts'
import { actionWords, detailWords, outcomeWords } from './audit-words.ts'

type Row = Omit<ServiceAuditEntry, 'request_id'> & { service?: string }

const stepTimes = (ms: Row['duration_ms']) =>
  ms
    ? Object.entries(ms)
        .map(([k, v]) => `${k} ${duration(v)}`)
        .join(', ')
    : ''

/** `withService` adds the service column (the merged log); rows are then keyed `service:id`. */
export function AuditTable({ entries, withService = false }: { entries: Row[]; withService?: boolean }) {
  return (
    <div class="table-wrap">
      <table class="history">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            {withService ? <th scope="col">Service</th> : null}
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
              data-audit={withService ? `${e.service}:${e.id}` : String(e.id)}
              data-service={withService ? e.service : undefined}
              data-action={e.action}
              data-outcome={e.outcome}
            >
              <td data-label="When (UTC)">
                <time datetime={e.at}>{e.at.slice(0, 19).replace('T', ' ')}</time>
              </td>
              {withService ? <td data-label="Service">{e.service}</td> : null}
              <td data-label="Who">{e.actor}</td>
              <td data-label="What">
                <span title={e.action}>{actionWords(e.action)}</span>
                {e.target ? <strong> {e.target}</strong> : null}
                {e.dry_run ? <span class="badge tone-off">dry run</span> : null}
              </td>
              <td data-label="Result" title={e.outcome}>
                {outcomeWords(e.outcome)}
              </td>
              <td data-label="Took" title={stepTimes(e.duration_ms)}>
                {duration(sumMs(e.duration_ms))}
              </td>
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
