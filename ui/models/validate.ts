/**
 * The dashboard's own checks of every value a person (or a forged form) sends, before anything is
 * asked of the controller. Repo ids and paths use the same validators as the SSH layer, so nothing
 * the page lets through is refused later for a different reason; a hostile value never leaves here.
 */
import { assertModelId, assertSafeName, modelFolderProblem } from '../../shared/ssh/quote.ts'

const passes = (check: () => unknown) => {
  try {
    check()
    return true
  } catch {
    return false
  }
}

/** A Hugging Face id `org/name`. */
export const isRepo = (v: unknown): v is string => passes(() => assertModelId(v))
/** A model key: a recipe key, a card key or `org--name`. */
export const isModelKey = (v: unknown): v is string => passes(() => assertSafeName(v))
export const isDownloadId = (v: unknown): v is string => typeof v === 'string' && /^dl_[a-f0-9]{12}$/.test(v)
/** Why a local path is refused, or null. */
export const localPathProblem = (v: string) => modelFolderProblem(v)
/** The controller's display-name rule: no quotes, `;`, `$`, backticks or line breaks. */
export const isDisplayName = (v: string) => /^[\p{L}\p{N}][\p{L}\p{N} _.,:+()/-]{0,199}$/u.test(v)
/** What the suggestion box may search for: the characters of a repo id, nothing else. */
export const isSuggestQuery = (v: string) => /^[A-Za-z0-9_./-]{0,96}$/.test(v)

/** A form field as a trimmed string ('' when missing or not text). */
export const field = (form: Record<string, unknown>, name: string) => {
  const v = form[name]
  return typeof v === 'string' ? v.trim() : ''
}
