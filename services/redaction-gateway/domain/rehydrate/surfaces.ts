/**
 * The context that picks a placeholder's surface form: the text on each side of one occurrence, as
 * written in the scrubbed text (other placeholders still placeholders). `/scrub` records a surface
 * under it where the text it replaced differs from the token's value ("Sarah" for the token of
 * "Sarah Johnson"); `/rehydrate` reads the same context around an exact placeholder and, when a
 * surface was recorded there, writes it instead of the value. 16 characters each side tell apart
 * the mentions of a note and survive a model quoting a sentence; a sentence the model wrote itself
 * has another context and gets the token's value.
 */
export const SURFACE_CONTEXT_CHARS = 16

export interface Context {
  before: string
  after: string
}

export function contextAround(text: string, start: number, end: number): Context {
  return {
    before: text.slice(Math.max(0, start - SURFACE_CONTEXT_CHARS), start),
    after: text.slice(end, end + SURFACE_CONTEXT_CHARS),
  }
}

/** The surfaces recorded at exact placeholder occurrences: one answer per occurrence asked, in order. */
export type SurfaceLookup = (
  occurrences: readonly (Context & { token: string })[],
) => readonly (string | undefined)[]
