/**
 * Every change to the cluster, newest first: who, what, when, dry run or real, how it ended and how
 * long each step took. The audit log of the swap-controller, read-only.
 */
import type { AuditOutcome, LOCK_REFUSAL_REASONS } from '../../shared/contracts/swap-controller.ts'
import { duration, sumMs } from './format.ts'
import type { AuditEntry } from './source.ts'

/** The audit's action names, as a person says them; the raw name stays in `data-action` and the title. */
export const ACTION_WORDS: Record<string, string> = {
  'swap.start': 'Switch model',
  'swap.cancel': 'Cancel switch',
  'swap.stop': 'Stop model',
  'swap.cleanup': 'Clean up after an interrupted switch',
  'recipe.sync': 'Copy recipe file to the head Spark',
  'lock.acquire': 'Reserve swaps',
  'lock.extend': 'Extend reservation',
  'lock.release': 'Release reservation',
  'lock.force_release': 'Force-release reservation',
  'lock.expire': 'Reservation ran out',
  'model.add': 'Add model',
  'model.download': 'Download model',
  'model.download.cancel': 'Cancel download',
  'model.delete': 'Delete model',
  'schedule.add': 'Schedule a switch',
  'schedule.update': 'Change scheduled switch',
  'schedule.delete': 'Remove scheduled switch',
}

/** An unknown action still reads as words: "backup.run_now" → "Backup: run now". */
export function actionWords(action: string): string {
  const known = ACTION_WORDS[action]
  if (known) return known
  const [head = action, ...rest] = action.split('.')
  const words = (t: string) => t.replace(/[_-]+/g, ' ')
  const first = words(head).replace(/^./, (c) => c.toUpperCase())
  return rest.length ? `${first}: ${rest.map(words).join(' ')}` : first
}

/** How each action ended, in words; the raw outcome stays in `data-outcome` and the title. */
export const OUTCOME_WORDS: Record<AuditOutcome, string> = {
  ok: 'done',
  ready: 'switched',
  rolled_back: 'went back to the previous model',
  failed: 'failed',
  cancelled: 'cancelled',
  refused: 'refused',
  started: 'started',
  interrupted: 'interrupted by a restart',
  expired: 'ran out',
}

export const outcomeWords = (outcome: string) =>
  OUTCOME_WORDS[outcome as AuditOutcome] ?? outcome.replace(/[_-]+/g, ' ')

/** Lock refusals as earlier rows wrote them (`token_mismatch`, `other_holder; held by alice`). */
const REFUSAL_WORDS: Record<(typeof LOCK_REFUSAL_REASONS)[number], string> = {
  other_holder: 'Someone else holds the swap reservation',
  token_required: "The swap reservation's token was not given",
  token_mismatch: "The token given is not the swap reservation's token",
}

/** A detail that is only a code reads as a sentence; any other detail is shown as written. */
export function detailWords(detail: string | null): string {
  if (!detail) return ''
  const coded = /^([a-z_]+)(?:; held by (.+))?$/.exec(detail)
  const words = coded ? REFUSAL_WORDS[coded[1] as keyof typeof REFUSAL_WORDS] : undefined
  if (!words) return detail
  return coded?.[2] ? `${words} (${coded[2]}).` : `${words}.`
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
              <td data-label="When (UTC)">
                <time datetime={e.at}>{e.at.slice(0, 19).replace('T', ' ')}</time>
              </td>
              <td data-label="Who">{e.actor}</td>
              <td data-label="What">
                <span title={e.action}>{actionWords(e.action)}</span>
                {e.target ? <strong> {e.target}</strong> : null}
                {e.dry_run ? <span class="badge tone-off">dry run</span> : null}
              </td>
              <td data-label="Result" title={e.outcome}>
                {outcomeWords(e.outcome)}
              </td>
              <td
                data-label="Took"
                title={
                  e.duration_ms
                    ? Object.entries(e.duration_ms)
                        .map(([k, v]) => `${k} ${duration(v)}`)
                        .join(', ')
                    : ''
                }
              >
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
