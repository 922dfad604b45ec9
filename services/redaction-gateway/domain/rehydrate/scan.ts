/**
 * One pass over text that replaces every placeholder form whose token the map knows. Exact and
 * tolerant forms are read by the same reader, left to right; at each position the longest form
 * wins (`[PERSON_12]` is never read as `[PERSON_1]` + `2]`). A form whose token the map does not
 * know is left as written — never a value for it — and, written exactly `[TYPE_N]`, reported.
 */
import { type FormRead, readForm } from './forms.ts'

/** Values for the tokens asked (canonical `[TYPE_N]`); tokens the map does not hold are absent. */
export type TokenLookup = (tokens: readonly string[]) => ReadonlyMap<string, string>

export interface ScanResult {
  text: string
  /** Where the caller must resume: `s.length`, or the start of a form more input could complete. */
  next: number
  restored: number
}

/** Only these characters can start a form: an opening bracket's first character or an upper-case letter. */
const mightStart = (c: string) =>
  (c >= 'A' && c <= 'Z') || c === '[' || c === '\\' || c === '&' || c === '(' || c === '{'

export interface FormAt {
  at: number
  read: Exclude<FormRead, { kind: 'none' }>
}

/** Every form from `from` on, read once: the map is asked for their tokens, then `scan` uses them. */
export function readForms(s: string, from: number, atEnd: boolean): FormAt[] {
  const forms: FormAt[] = []
  for (let i = from; i < s.length; i++) {
    if (!mightStart(s[i]!)) continue
    const read = readForm(s, i, atEnd)
    if (read.kind !== 'none') forms.push({ at: i, read })
  }
  return forms
}

export const tokensOf = (forms: readonly FormAt[]): Set<string> =>
  new Set(forms.flatMap(({ read }) => (read.kind === 'token' ? [read.token] : [])))

export function scan(
  s: string,
  from: number,
  forms: readonly FormAt[],
  known: ReadonlyMap<string, string>,
  options: {
    escape: (value: string) => string
    unknown: Set<string>
    /** Form position → the surface recorded for that exact occurrence, written instead of the value. */
    surfaces?: ReadonlyMap<number, string>
  },
): ScanResult {
  const parts: string[] = []
  let restored = 0
  let copiedTo = from
  let next = s.length
  for (const { at, read } of forms) {
    if (at < copiedTo) continue
    if (read.kind === 'partial') {
      next = at
      break
    }
    const value = known.has(read.token) ? (options.surfaces?.get(at) ?? known.get(read.token)) : undefined
    if (value !== undefined) {
      parts.push(s.slice(copiedTo, at), options.escape(value))
      restored++
      copiedTo = read.end
    } else if (read.exact) options.unknown.add(read.token)
  }
  parts.push(s.slice(copiedTo, next))
  return { text: parts.join(''), next, restored }
}
