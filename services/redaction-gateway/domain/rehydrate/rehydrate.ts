/**
 * Puts the original values back in text a model wrote from scrubbed input: exact `[TYPE_N]` tokens
 * and the tolerant forms `forms.ts` reads, for tokens the map knows only. The stream variant gives
 * the same output whatever the chunking: it holds back only a tail that more input could still turn
 * into a token (a lone `[`, `[PERS`, `PERSON_1` that may become `PERSON_12`), and in JSON-string
 * mode (tool-call argument deltas) escapes restored values so the JSON stays valid.
 */
import { readForms, scan, type TokenLookup, tokensOf } from './scan.ts'

export type { TokenLookup } from './scan.ts'

export interface Rehydrated {
  text: string
  /** How many placeholders were replaced by a value. */
  restored: number
  /** Tokens written exactly `[TYPE_N]` that this map does not hold (hallucinated or from another map). */
  unknown: string[]
}

export interface RehydrateOptions {
  /** The text sits inside a JSON string: restored values are JSON-escaped. */
  json?: boolean
}

const escaperFor = (options: RehydrateOptions) =>
  options.json ? (value: string) => JSON.stringify(value).slice(1, -1) : (value: string) => value

export function rehydrate(text: string, lookup: TokenLookup, options: RehydrateOptions = {}): Rehydrated {
  const unknown = new Set<string>()
  const forms = readForms(text, 0, true)
  const wanted = tokensOf(forms)
  const known = wanted.size ? lookup([...wanted]) : new Map<string, string>()
  const result = scan(text, 0, forms, known, { escape: escaperFor(options), unknown })
  return { text: result.text, restored: result.restored, unknown: [...unknown] }
}

export interface StreamRehydrator {
  /** The rehydrated text that can no longer change; a possible token's start is kept for later. */
  push(chunk: string): string
  /** Everything still held, rehydrated as the end of the text. */
  end(): string
  readonly restored: number
  readonly unknown: readonly string[]
}

/** Input already passed on that a bare form's start looks back at (a word char, `\`, `［` + spaces). */
const CONTEXT_CHARS = 8

export function createStreamRehydrator(
  lookup: TokenLookup,
  options: RehydrateOptions = {},
): StreamRehydrator {
  const escapeValue = escaperFor(options)
  const unknown = new Set<string>()
  const known = new Map<string, string>()
  const asked = new Set<string>()
  let context = ''
  let pending = ''
  let restored = 0

  const run = (atEnd: boolean): string => {
    const s = context + pending
    const forms = readForms(s, context.length, atEnd)
    const fresh = [...tokensOf(forms)].filter((t) => !asked.has(t))
    if (fresh.length) {
      for (const t of fresh) asked.add(t)
      for (const [token, value] of lookup(fresh)) known.set(token, value)
    }
    const result = scan(s, context.length, forms, known, { escape: escapeValue, unknown })
    restored += result.restored
    context = s.slice(Math.max(0, result.next - CONTEXT_CHARS), result.next)
    pending = s.slice(result.next)
    return result.text
  }

  return {
    push(chunk) {
      pending += chunk
      return run(false)
    },
    end: () => run(true),
    get restored() {
      return restored
    },
    get unknown() {
      return [...unknown]
    },
  }
}
