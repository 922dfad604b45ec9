/**
 * One pass over text that replaces every placeholder form whose token the map knows. Exact and
 * tolerant forms are read by the same reader, left to right; at each position the longest form
 * wins (`[PERSON_12]` is never read as `[PERSON_1]` + `2]`). A form whose token the map does not
 * know is left as written — never a value for it — and, written exactly `[TYPE_N]`, reported.
 */
import { readForm } from './forms.ts'

/** Values for the tokens asked (canonical `[TYPE_N]`); tokens the map does not hold are absent. */
export type TokenLookup = (tokens: readonly string[]) => ReadonlyMap<string, string>

export interface ScanResult {
  text: string
  /** Where the caller must resume: `s.length`, or the start of a form more input could complete. */
  next: number
  restored: number
}

const MIGHT_START = /[[\\&({A-Z]/

/** Every token a form at any position from `from` could stand for, to ask the map in one go. */
export function candidateTokens(s: string, from: number): Set<string> {
  const tokens = new Set<string>()
  for (let i = from; i < s.length; i++) {
    if (!MIGHT_START.test(s[i]!)) continue
    const read = readForm(s, i, true)
    if (read.kind === 'token') tokens.add(read.token)
  }
  return tokens
}

export function scan(
  s: string,
  from: number,
  known: ReadonlyMap<string, string>,
  options: { atEnd: boolean; escape: (value: string) => string; unknown: Set<string> },
): ScanResult {
  const parts: string[] = []
  let restored = 0
  let copiedTo = from
  let i = from
  while (i < s.length) {
    if (!MIGHT_START.test(s[i]!)) {
      i++
      continue
    }
    const read = readForm(s, i, options.atEnd)
    if (read.kind === 'partial') break
    if (read.kind === 'token') {
      const value = known.get(read.token)
      if (value !== undefined) {
        parts.push(s.slice(copiedTo, i), options.escape(value))
        restored++
        i = copiedTo = read.end
        continue
      }
      if (read.exact) options.unknown.add(read.token)
    }
    i++
  }
  parts.push(s.slice(copiedTo, i))
  return { text: parts.join(''), next: i, restored }
}
