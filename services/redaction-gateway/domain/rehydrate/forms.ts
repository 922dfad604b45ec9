/**
 * Reads one placeholder at a position, in the forms a model or a renderer makes of `[TYPE_N]`:
 * any case and spacing inside brackets (`[person_1]`, `[ PERSON 1 ]`, `[PERSON1]`), `-` or space
 * for `_`, other brackets (`(PERSON_1)`, `{PERSON_1}`), a missing bracket, and the escaped
 * brackets of HTML (`&#91;` `&lbrack;`), Markdown (`\[PERSON\_1\]`) and JSON (`\u005b`).
 * Without any opening bracket the form must look deliberate: upper-case type, `_`/`-` before the
 * number, not inside a word — so ordinary words ("person 1") are never read as placeholders.
 *
 * A hand-written reader rather than a regex because the stream rehydrator must know when the text
 * ended in the middle of a form ("partial": more input could still complete or lengthen it).
 * Text the scrubber neutralised (`［PERSON_1］`, fullwidth brackets) is never read as a token.
 */
import { NEUTRAL_OPEN } from '../placeholders/neutralise.ts'

export type FormRead =
  | { kind: 'none' }
  | { kind: 'partial' }
  /** `exact`: written exactly `[TYPE_N]`, the form a hallucinated token is reported in. */
  | { kind: 'token'; end: number; token: string; exact: boolean }

/**
 * Brackets by family. An opening and a closing bracket of one form must be of one family (plain
 * brackets mix freely): `\[PERSON_1]` is a backslash before the exact token, not a Markdown form.
 */
const OPENS: readonly Bracket[] = [
  ...['[', '(', '{'].map((text) => ({ text, family: 'plain' })),
  { text: '\\[', family: 'markdown' },
  ...['&#91;', '&#x5b;', '&lbrack;', '&lsqb;'].map((text) => ({ text, family: 'html' })),
  { text: '\\u005b', family: 'json' },
]
const CLOSES: readonly Bracket[] = [
  ...[']', ')', '}'].map((text) => ({ text, family: 'plain' })),
  { text: '\\]', family: 'markdown' },
  ...['&#93;', '&#x5d;', '&rbrack;', '&rsqb;'].map((text) => ({ text, family: 'html' })),
  { text: '\\u005d', family: 'json' },
]
interface Bracket {
  text: string
  family: string
}
const MAX_SPACES = 3
const MAX_PARTS = 4
const MAX_PART_LETTERS = 24
const MAX_DIGITS = 9
const NONE: FormRead = { kind: 'none' }
const PARTIAL: FormRead = { kind: 'partial' }

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c)
const isUpper = (c: string | undefined) => c !== undefined && c >= 'A' && c <= 'Z'
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
const isWordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c)

/** The bracket at `i`, 'partial' when the text ends inside one, or undefined. */
function bracketAt(
  s: string,
  i: number,
  brackets: readonly Bracket[],
  atEnd: boolean,
): Bracket | 'partial' | undefined {
  // Every bracket starts with one of these: most positions are answered without building a string.
  if (!'[({\\&]})'.includes(s[i] ?? '[')) return undefined
  const rest = s.slice(i, i + 8).toLowerCase()
  for (const bracket of brackets) if (rest.startsWith(bracket.text)) return bracket
  if (!atEnd && rest && rest.length < 8 && brackets.some((b) => b.text.startsWith(rest))) return 'partial'
  return undefined
}

function spacesAt(s: string, i: number): number {
  let n = 0
  while (n < MAX_SPACES && (s[i + n] === ' ' || s[i + n] === '\t')) n++
  return n
}

/** `_`, `\_` or `-`, and (inside brackets) spaces: the length read, 0 for none. */
function separatorAt(s: string, i: number, bracketed: boolean): number {
  if (s[i] === '_' || s[i] === '-') return 1
  if (s[i] === '\\' && s[i + 1] === '_') return 2
  return bracketed ? spacesAt(s, i) : 0
}

const AFTER_NEUTRAL_OPEN = new RegExp(`${NEUTRAL_OPEN}[ \\t]{0,${MAX_SPACES}}$`)

/** Bare forms are refused inside a word, after an escape, and inside the scrubber's neutral brackets. */
function bareStartAllowed(s: string, i: number): boolean {
  const before = s[i - 1]
  if (isWordChar(before) || before === '\\') return false
  return !AFTER_NEUTRAL_OPEN.test(s.slice(Math.max(0, i - MAX_SPACES - 1), i))
}

export function readForm(s: string, i: number, atEnd: boolean): FormRead {
  const open = bracketAt(s, i, OPENS, atEnd)
  if (open === 'partial') return PARTIAL
  const bracketed = open !== undefined
  if (!bracketed && !(isUpper(s[i]) && bareStartAllowed(s, i))) return NONE
  let j = i + (open?.text.length ?? 0)
  if (bracketed) j += spacesAt(s, j)
  const parts: string[] = []
  for (;;) {
    const start = j
    while (isLetter(s[j]) && j - start < MAX_PART_LETTERS) j++
    if (j === start) return j >= s.length && !atEnd ? PARTIAL : NONE
    const part = s.slice(start, j)
    if (!bracketed && part !== part.toUpperCase()) return NONE
    parts.push(part.toUpperCase())
    if (j >= s.length) return atEnd ? NONE : PARTIAL
    if (isLetter(s[j])) return NONE
    if (s[j] === '\\' && j + 1 >= s.length) return atEnd ? NONE : PARTIAL
    const sep = separatorAt(s, j, bracketed)
    if (isDigit(s[j + sep])) {
      if (sep === 0 && !bracketed) return NONE
      j += sep
      break
    }
    if (sep === 0 || j + sep >= s.length) return sep > 0 && !atEnd ? PARTIAL : NONE
    if (!isLetter(s[j + sep]) || parts.length >= MAX_PARTS) return NONE
    j += sep
  }
  return readNumberAndClose(s, i, j, parts, open?.family, atEnd)
}

function readNumberAndClose(
  s: string,
  i: number,
  digitsStart: number,
  parts: string[],
  openFamily: string | undefined,
  atEnd: boolean,
): FormRead {
  let j = digitsStart
  while (isDigit(s[j])) j++
  if (j - digitsStart > MAX_DIGITS) return NONE
  const token = `[${parts.join('_')}_${s.slice(digitsStart, j)}]`
  if (j >= s.length && !atEnd) return PARTIAL
  const afterNumber = j
  const spaces = spacesAt(s, j)
  j += spaces
  if (j >= s.length && !atEnd && spaces < MAX_SPACES) return PARTIAL
  const close = bracketAt(s, j, CLOSES, atEnd)
  if (close === 'partial') return PARTIAL
  if (close && openFamily && close.family !== openFamily) return NONE
  if (close) {
    const end = j + close.text.length
    return { kind: 'token', end, token, exact: s.slice(i, end) === token }
  }
  if (isWordChar(s[afterNumber])) return NONE
  return { kind: 'token', end: afterNumber, token, exact: false }
}
