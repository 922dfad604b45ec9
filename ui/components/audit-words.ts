/**
 * Audit entries in words: action names and outcomes as a person says them, coded details as
 * sentences. The raw values stay in the table's data attributes and titles.
 */
import type { AuditOutcome, LOCK_REFUSAL_REASONS } from '../../shared/contracts/swap-controller.ts'

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
