/**
 * A POSIX shell word splitter for tests (XCU 2.2 quoting and 2.6.5 field splitting of a simple
 * command): single quotes, double quotes with their five escapes, backslash outside quotes,
 * blanks between words. Expansions are not performed — a `$` or backtick outside single quotes
 * makes it throw, because for the strings quote.ts produces that would mean a live expansion.
 * It is written independently of quote.ts so the round-trip test checks one against the other.
 */
export function splitShellWords(source: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let i = 0
  const append = (s: string) => {
    word = (word ?? '') + s
  }
  while (i < source.length) {
    const ch = source[i]!
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (word !== null) words.push(word)
      word = null
      i++
    } else if (ch === "'") {
      const end = source.indexOf("'", i + 1)
      if (end < 0) throw new Error('unterminated single quote')
      append(source.slice(i + 1, end))
      i = end + 1
    } else if (ch === '"') {
      i = readDoubleQuoted(source, i + 1, append)
    } else if (ch === '\\') {
      if (i + 1 >= source.length) throw new Error('trailing backslash')
      // A backslash-newline outside quotes is a line continuation and vanishes.
      if (source[i + 1] !== '\n') append(source[i + 1]!)
      i += 2
    } else if ('$`;&|<>()'.includes(ch)) {
      throw new Error(`unquoted shell metacharacter ${JSON.stringify(ch)} at ${i}`)
    } else {
      append(ch)
      i++
    }
  }
  if (word !== null) words.push(word)
  return words
}

function readDoubleQuoted(source: string, start: number, append: (s: string) => void): number {
  let i = start
  append('')
  while (i < source.length) {
    const ch = source[i]!
    if (ch === '"') return i + 1
    if (ch === '$' || ch === '`') throw new Error(`expansion inside double quotes at ${i}`)
    if (ch === '\\' && i + 1 < source.length && '$`"\\\n'.includes(source[i + 1]!)) {
      if (source[i + 1] !== '\n') append(source[i + 1]!)
      i += 2
      continue
    }
    append(ch)
    i++
  }
  throw new Error('unterminated double quote')
}

/** Characters a hostile value is made of: shell syntax, quotes, whitespace, controls, unicode. */
export const HOSTILE_ALPHABET = [
  ...`'"\\$\`;&|<>(){}[]*?!#~=%^ \t\n\r-/.,:@+`,
  'a',
  'Z',
  '0',
  '\u0001',
  '\u001b',
  '\u007f',
  'é',
  'ß',
  '中',
  '\u202e',
  '\u00a0',
  '😀',
]

export function randomHostileString(random: () => number, maxLength = 24): string {
  const length = Math.floor(random() * (maxLength + 1))
  let s = ''
  for (let i = 0; i < length; i++) s += HOSTILE_ALPHABET[Math.floor(random() * HOSTILE_ALPHABET.length)]!
  return s
}
