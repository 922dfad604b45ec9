/**
 * Every change to the cluster, newest first: who, what, when, dry run or real, how it ended and how
 * long each step took. The audit log of the swap-controller, read-only.
 */
import { duration, sumMs } from './format.ts'
import type { AuditEntry } from './source.ts'

const ACTION_WORDS: Record<string, string> = {
  'swap.start': 'Switch model',
  'swap.cancel': 'Cancel switch',
  'swap.stop': 'Stop model',
  'lock.acquire': 'Reserve swaps',
  'lock.release': 'Release reservation',
  'lock.force_release': 'Force-release reservation',
}

export function HistoryTable({ entries }: { entries: AuditEntry[] | null }) {
  if (entries === null) return <p class="muted">The history is not available right now; reload to retry.</p>
  if (entries.length === 0) return <p class="muted">Nothing has changed on the cluster yet.</p>
  return (
    <div class="table-wrap">
      <table class="history">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Result</th>
            <th scope="col">Took</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-audit={e.id} data-action={e.action} data-outcome={e.outcome}>
              <td>
                <time datetime={e.at}>{e.at.slice(0, 19).replace('T', ' ')}</time>
              </td>
              <td>{e.actor}</td>
              <td>
                {ACTION_WORDS[e.action] ?? e.action}
                {e.target ? <strong> {e.target}</strong> : null}
                {e.dry_run ? <span class="badge tone-off">dry run</span> : null}
              </td>
              <td>{e.outcome}</td>
              <td title={e.duration_ms ? Object.entries(e.duration_ms).map(([k, v]) => `${k} ${duration(v)}`).join(', ') : ''}>
                {duration(sumMs(e.duration_ms))}
              </td>
              <td class="detail-cell">{e.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
