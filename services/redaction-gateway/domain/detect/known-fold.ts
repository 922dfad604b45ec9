/**
 * Unicode folding with a map back to the original text, so a known entity written "Zoë
 * Smith-Jones" matches "ZOE SMITH JONES", "zoe smith\u200b-jones" or "Zoe Smith – Jones", and the
 * detection still carries offsets into the original.
 *
 * Per code point: NFKD (splits accents off and opens ligatures like "ﬁ"), combining marks dropped,
 * lower-cased, a few letters NFKD leaves whole spelled out (ß→ss, æ→ae, ø→o, ł→l…); zero-width
 * characters and soft hyphens vanish; runs of whitespace, hyphens and dashes become one space
 * (so a hyphenated surname matches its spaced form and the reverse); curly apostrophes become `'`.
 */
const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
}
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/u
const SEPARATOR = /[\s\-‐‑‒–—―]/u
const APOSTROPHE = /['‘’ʼ`´]/u

const ASCII = Array.from({ length: 128 }, (_, code) => {
  const ch = String.fromCharCode(code)
  if (/[\s-]/.test(ch)) return ' '
  if (ch === '`') return "'"
  return ch.toLowerCase()
})

export interface Folded {
  text: string
  /** For each folded UTF-16 unit, where its source code point starts in the original. */
  starts: number[]
  /** For each folded UTF-16 unit, where its source code point ends in the original. */
  ends: number[]
}

export function foldChar(ch: string): string {
  const code = ch.charCodeAt(0)
  // Plain ASCII is most of any text: skip the Unicode work for it.
  if (code < 128) return ASCII[code]!
  if (INVISIBLE.test(ch)) return ''
  if (SEPARATOR.test(ch)) return ' '
  if (APOSTROPHE.test(ch)) return "'"
  const lower = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  return [...lower].map((c) => SPELLED[c] ?? c).join('')
}

export function fold(text: string): Folded {
  const starts: number[] = []
  const ends: number[] = []
  const out: string[] = []
  let lastSpace = false
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i)
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1
    const folded = foldChar(width === 1 ? text[i]! : text.slice(i, i + width))
    const end = i + width
    for (let k = 0; k < folded.length; k++) {
      const unit = folded[k]!
      if (unit === ' ' && lastSpace) {
        ends[ends.length - 1] = end
        continue
      }
      lastSpace = unit === ' '
      out.push(unit)
      starts.push(i)
      ends.push(end)
    }
    i = end
  }
  return { text: out.join(''), starts, ends }
}

/** The folded form alone, trimmed: the key two spellings of one value share. */
export function foldKey(value: string): string {
  return fold(value).text.trim()
}
