/**
 * One streamed text (a choice's content, a tool call's arguments, a plain-text body) restored as it
 * arrives: the stream rehydrator holds back a possible placeholder's start across chunk boundaries,
 * then the brackets `/scrub` neutralised (`［PERSON_1］`) are put back, as `/rehydrate` does. A
 * neutralised form split across chunks is held too, up to `MAX_NEUTRAL_CHARS`: past that an open
 * `［` is passed on as it is (no token-shaped text is that long).
 */
import { NEUTRAL_CLOSE, NEUTRAL_OPEN, restoreNeutralised } from '../placeholders/neutralise.ts'
import { createStreamRehydrator, type RehydrateOptions, type TokenLookup } from '../rehydrate/rehydrate.ts'

export interface TextRestorer {
  /** The restored text that can no longer change. */
  push(chunk: string): string
  /** Everything still held, restored as the end of the text. */
  end(): string
  readonly restored: number
  readonly unknown: readonly string[]
}

const MAX_NEUTRAL_CHARS = 64

/**
 * `json`: the text sits inside a JSON string (tool-call arguments); restored values are escaped for it.
 * `surfaces`: the map's surface forms, so an echoed scrubbed text comes back exactly, as `/rehydrate` does.
 */
export function createTextRestorer(lookup: TokenLookup, options: RehydrateOptions = {}): TextRestorer {
  const tokens = createStreamRehydrator(lookup, options)
  let held = ''
  const release = (text: string, atEnd: boolean): string => {
    const s = held + text
    const open = atEnd ? -1 : s.lastIndexOf(NEUTRAL_OPEN)
    const waiting = open !== -1 && !s.includes(NEUTRAL_CLOSE, open) && s.length - open < MAX_NEUTRAL_CHARS
    const cut = waiting ? open : s.length
    held = s.slice(cut)
    return restoreNeutralised(s.slice(0, cut))
  }
  return {
    push: (chunk) => release(tokens.push(chunk), false),
    end: () => release(tokens.end(), true),
    get restored() {
      return tokens.restored
    },
    get unknown() {
      return tokens.unknown
    },
  }
}
