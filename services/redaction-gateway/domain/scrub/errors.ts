/** The redaction routes' errors; their codes are the earlier `{"error": "<code>"}` values. */
import { AppError } from '../../../../shared/errors.ts'
import type { Tier1Kind } from '../detect/types.ts'

export type ItemId = string | number

export const mapNotFound = () =>
  new AppError(404, 'map_not_found', 'No redaction map has this handle (never created, deleted, or swept).')
export const mapGone = () =>
  new AppError(410, 'map_expired', 'This redaction map has expired; its values are gone. Scrub again.')

/** Kinds only, never values or offsets: the answer must not say where the secret was either. */
export const tier1Detected = (spans: { item: ItemId; kinds: Tier1Kind[] }[]) =>
  new AppError(
    422,
    'tier1_detected',
    'Tier-1 data found and tier1_action is "reject"; nothing was scrubbed.',
    {
      extra: { spans },
    },
  )

/** `reason` is a code a client may branch on (`no_model`, `switching`, …); `why` says it in words, never a value. */
export const nerUnavailable = (reason?: string, why = 'it is not available here') =>
  new AppError(
    422,
    'ner_unavailable',
    `The local-LLM name pass (ner "auto" or "qwen") cannot run: ${why}; nothing was scrubbed. ` +
      'Send ner "rules_only" for the rule-based pass.',
    reason ? { extra: { reason } } : undefined,
  )

export const tooLarge = (what: string) => new AppError(413, 'too_large', `${what}; nothing was scrubbed.`)

/** A detector that throws means unknown coverage: the text is never answered half-scrubbed. */
export const scrubFailed = (cause: unknown) =>
  new AppError(500, 'scrub_failed', 'A detector failed; nothing was scrubbed or stored.', { cause })

export const storeUnavailable = (why: string) =>
  new AppError(503, 'map_store_unavailable', `The redaction map store is not open: ${why}.`, {
    retryAfterS: 30,
  })
