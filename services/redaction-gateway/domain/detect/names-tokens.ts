import { foldKey } from './known-fold.ts'

/**
 * The words of a text, read once, with what the name rules need to know about each: its folded
 * key, whether it is capitalised, whether it starts a sentence, and whether it joins the word
 * before it into one phrase (a single space between them). One regex pass over the text; keys of
 * non-ASCII words are folded once per text, so a 60 KB transcript costs a few milliseconds.
 */
export interface Token {
  start: number
  /** End of the word without a possessive "'s". */
  end: number
  key: string
  cap: boolean
  /** Written in capitals throughout ("KYC", "ETF") or in a case no name has: not a name. */
  acronym: boolean
  /** First word of a sentence, a line, a header or a quote. */
  sentenceStart: boolean
  /** Only spaces or tabs (no punctuation, no line break) since the previous word. */
  joined: boolean
  /** Followed by a possessive "'s": the phrase ends with this word. */
  possessive: boolean
  /** Glued to digits or to address punctuation ("bc1qli…", "li@…"): part of something else. */
  embedded: boolean
}

const WORD = /\p{L}[\p{L}\p{M}'’]*(?:[-‐][\p{L}][\p{L}\p{M}'’]*)*/gu
const SENTENCE_GAP = /[.!?:;\n\r"“”()[\]•|>]/u
const EMBEDDING = /[\p{N}@_/\\=#$%&*+~]/u
const POSSESSIVE = /['’]s$/u
const TRAILING_APOSTROPHE = /['’]+$/u
const TITLE_KEYS = new Set([
  'mr',
  'mrs',
  'ms',
  'mx',
  'miss',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
])

/** "uKFcRRdm…", "QnEPT7Zm": case changing inside a word more than a name does ("McDonald", "DeLuca"). */
const mixedCase = (word: string) =>
  /\p{Ll}\p{Lu}{2}/u.test(word) ||
  word.split(/[-'’]/).some((part) => (part.match(/\p{Ll}\p{Lu}/gu) ?? []).length > 1)

export const isTitle = (t: Token | undefined): boolean => !!t && TITLE_KEYS.has(t.key)

function keyOf(word: string, cache: Map<string, string>): string {
  if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase()
  let key = cache.get(word)
  if (key === undefined) {
    key = foldKey(word)
    cache.set(word, key)
  }
  return key
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  // Per call, so no word of one text stays in memory after it.
  const keys = new Map<string, string>()
  let prevEnd = 0
  let prev: Token | undefined
  for (const m of text.matchAll(WORD)) {
    let word = m[0]
    const start = m.index
    const apostrophe = word.includes("'") || word.includes('’')
    const possessive = apostrophe && POSSESSIVE.test(word)
    if (apostrophe) word = word.replace(POSSESSIVE, '').replace(TRAILING_APOSTROPHE, '')
    if (!word) continue
    const gap = text.slice(prevEnd, start)
    const first = word[0]!
    const cap = first !== first.toLowerCase()
    const token: Token = {
      start,
      end: start + word.length,
      key: keyOf(word, keys),
      cap,
      acronym: cap && word.length > 1 && (word === word.toUpperCase() || mixedCase(word)),
      sentenceStart: !prev || (SENTENCE_GAP.test(gap) && !(isTitle(prev) && /^\.?\s+$/.test(gap))),
      joined: !!prev && /^[ \t]+$/.test(gap) && !prev.possessive,
      possessive,
      embedded:
        EMBEDDING.test(text[start - 1] ?? '') ||
        EMBEDDING.test(text[start + m[0].length] ?? '') ||
        (text[start - 1] === '.' && /\w/.test(text[start - 2] ?? '')) ||
        (text[start + m[0].length] === '.' && /\w/.test(text[start + m[0].length + 1] ?? '')),
    }
    tokens.push(token)
    prev = token
    prevEnd = start + m[0].length
  }
  return tokens
}
