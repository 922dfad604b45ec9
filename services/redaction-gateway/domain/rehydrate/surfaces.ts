/**
 * The context that picks a placeholder's surface form: the text on each side of one occurrence, as
 * written in the scrubbed text (other placeholders still placeholders), and `nth`, how many earlier
 * occurrences had the same token and sides — in the texts of one `/scrub` call, or of one
 * `/rehydrate` request, in order (a transcript repeats its lines; an item "Sarah" may sit beside an
 * item "Sarah Johnson", both scrubbed to a bare placeholder).
 * `/scrub` records a surface under it where the text it replaced differs from the token's value
 * ("Sarah" for the token of "Sarah Johnson"); `/rehydrate` reads the same context around each exact
 * placeholder of a map's token and, when a surface was recorded there, writes it instead of the
 * value. 16 characters each side tell apart the mentions of a note and survive a model quoting a
 * passage; a sentence the model wrote itself has another context and gets the token's value.
 */
export const SURFACE_CONTEXT_CHARS = 16

export interface Context {
  before: string
  after: string
  nth: number
}

export type ContextCounter = (text: string, token: string, start: number, end: number) => Context

/** Contexts numbered in reading order: one counter per call or request (a stream keeps one for its text). */
export function contextCounter(): ContextCounter {
  const seen = new Map<string, number>()
  return (text, token, start, end) => {
    const before = text.slice(Math.max(0, start - SURFACE_CONTEXT_CHARS), start)
    const after = text.slice(end, end + SURFACE_CONTEXT_CHARS)
    const key = `${token} ${before.length} ${before}${after}`
    const nth = seen.get(key) ?? 0
    seen.set(key, nth + 1)
    return { before, after, nth }
  }
}

/** The surfaces recorded at exact placeholder occurrences: one answer per occurrence asked, in order. */
export type SurfaceLookup = (
  occurrences: readonly (Context & { token: string })[],
) => readonly (string | undefined)[]
