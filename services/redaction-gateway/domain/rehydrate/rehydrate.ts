/**
 * Puts the original values back in text a model wrote from scrubbed input: exact `[TYPE_N]` tokens
 * and the tolerant forms `forms.ts` reads, for tokens the map knows only. The stream variant gives
 * the same output whatever the chunking: it holds back only a tail that more input could still turn
 * into a token (a lone `[`, `[PERS`, `PERSON_1` that may become `PERSON_12`), and in JSON-string
 * mode (tool-call argument deltas) escapes restored values so the JSON stays valid.
 *
 * With `surfaces`, an exact placeholder whose context has a recorded surface form gets that form
 * instead of the value (surfaces.ts), so an echoed scrubbed text comes back exactly. The stream
 * applies the same rule: it also holds back an exact known placeholder until the
 * SURFACE_CONTEXT_CHARS after it have arrived (or the stream ended), so its output is the same.
 */
import { type FormAt, readForms, scan, type TokenLookup, tokensOf } from './scan.ts'
import { type ContextCounter, contextCounter, SURFACE_CONTEXT_CHARS, type SurfaceLookup } from './surfaces.ts'

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
  /** The map's surface forms; without it every token gets its value. */
  surfaces?: SurfaceLookup
  /**
   * Numbers the contexts read: pass one counter to every text of a request, in order, as `/scrub`
   * numbers over the items of a call (an item "Sarah" beside an item "Sarah Johnson"). Default: one per text.
   */
  contexts?: ContextCounter
}

const escaperFor = (options: RehydrateOptions) =>
  options.json ? (value: string) => JSON.stringify(value).slice(1, -1) : (value: string) => value

export function rehydrate(text: string, lookup: TokenLookup, options: RehydrateOptions = {}): Rehydrated {
  const unknown = new Set<string>()
  const forms = readForms(text, 0, true)
  const wanted = tokensOf(forms)
  const known = wanted.size ? lookup([...wanted]) : new Map<string, string>()
  const surfaces = surfacesOf(text, forms, known, options.surfaces, options.contexts ?? contextCounter())
  const result = scan(text, 0, forms, known, { escape: escaperFor(options), unknown, surfaces })
  return { text: result.text, restored: result.restored, unknown: [...unknown] }
}

const isExactKnown = (form: FormAt, known: ReadonlyMap<string, string>) =>
  form.read.kind === 'token' && form.read.exact && known.has(form.read.token)

/** Position → recorded surface, for the exact known placeholders among `forms` (one lookup). */
function surfacesOf(
  s: string,
  forms: readonly FormAt[],
  known: ReadonlyMap<string, string>,
  lookup: SurfaceLookup | undefined,
  count: ContextCounter,
): Map<number, string> {
  const found = new Map<number, string>()
  if (!lookup) return found
  const exact = forms.filter((f) => isExactKnown(f, known))
  if (exact.length === 0) return found
  const asked = exact.map(({ at, read }) => {
    const { token, end } = read as { token: string; end: number }
    return { token, ...count(s, token, at, end) }
  })
  const answers = lookup(asked)
  exact.forEach(({ at }, i) => {
    const surface = answers[i]
    if (surface !== undefined) found.set(at, surface)
  })
  return found
}

/**
 * The forms a stream may settle now: those before the first partial one and, with surfaces, before
 * the first exact known placeholder whose right-hand context has not all arrived (held as partial).
 */
function settleable(s: string, forms: FormAt[], known: ReadonlyMap<string, string>, holdForContext: boolean) {
  const out: FormAt[] = []
  for (const form of forms) {
    if (form.read.kind === 'partial') return { forms: [...out, form], settled: out }
    if (holdForContext && isExactKnown(form, known)) {
      const end = (form.read as { end: number }).end
      if (end + SURFACE_CONTEXT_CHARS > s.length) {
        const held: FormAt = { at: form.at, read: { kind: 'partial' } }
        return { forms: [...out, held], settled: out }
      }
    }
    out.push(form)
  }
  return { forms: out, settled: out }
}

export interface StreamRehydrator {
  /** The rehydrated text that can no longer change; a possible token's start is kept for later. */
  push(chunk: string): string
  /** Everything still held, rehydrated as the end of the text. */
  end(): string
  readonly restored: number
  readonly unknown: readonly string[]
}

/**
 * Input already passed on that is kept to look back at: a bare form's start looks at 8 (a word
 * char, `\`, `［` + spaces), a surface's context at SURFACE_CONTEXT_CHARS.
 */
const CONTEXT_CHARS = Math.max(8, SURFACE_CONTEXT_CHARS)

export function createStreamRehydrator(
  lookup: TokenLookup,
  options: RehydrateOptions = {},
): StreamRehydrator {
  const escapeValue = escaperFor(options)
  const unknown = new Set<string>()
  const known = new Map<string, string>()
  const asked = new Set<string>()
  const count = options.contexts ?? contextCounter()
  let context = ''
  let pending = ''
  let restored = 0

  const run = (atEnd: boolean): string => {
    const s = context + pending
    const read = readForms(s, context.length, atEnd)
    const fresh = [...tokensOf(read)].filter((t) => !asked.has(t))
    if (fresh.length) {
      for (const t of fresh) asked.add(t)
      for (const [token, value] of lookup(fresh)) known.set(token, value)
    }
    const { forms, settled } = settleable(s, read, known, !!options.surfaces && !atEnd)
    const surfaces = surfacesOf(s, settled, known, options.surfaces, count)
    const result = scan(s, context.length, forms, known, { escape: escapeValue, unknown, surfaces })
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
