import { validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/**
 * BIP39 seed phrases (English wordlist): a run of wordlist words joined only by spaces, commas, bullets
 * or numbering ("1. abandon 2. ability", "word one abandon"). A checksum-valid 12–24-word window makes it
 * certain; six or more wordlist words in a row are dropped even without a checksum (a partial or
 * misheard seed is still a seed), four after a label such as "seed phrase". Number words and "word"
 * are in the wordlist but don't count towards the run's length, so spelled digits never look like a seed.
 */

const WORDS: ReadonlySet<string> = new Set(wordlist)
/** Numbering read aloud ("word one …", "number twelve", "first"); some of these are wordlist words. */
const NUMBERING = (
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen ' +
  'seventeen eighteen nineteen twenty first second third fourth fifth sixth seventh eighth ninth tenth ' +
  'eleventh twelfth next then word number'
).split(' ')
/** Wordlist words that don't count towards a run's length. */
const WEAK: ReadonlySet<string> = new Set(NUMBERING.filter((w) => WORDS.has(w)))
/** Numbering that may sit between seed words although it is not in the wordlist. */
const SPOKEN_NUMBERS: ReadonlySet<string> = new Set(NUMBERING.filter((w) => !WORDS.has(w)))
const WORD = /[A-Za-z]+/g
// The (?!\d) keeps this linear: a long digit run must not be split every possible way.
const GAP = /^(?:[\s,;|/\-–—•*"'()[\]]|#?\d{1,2}(?!\d)[.):]?)*$/
const LABEL =
  /\b(?:seed(?:[ \t]+(?:phrase|words?))?|recovery[ \t]+(?:phrase|words?|seed)|mnemonic|backup[ \t]+(?:phrase|words?)|secret[ \t]+(?:recovery[ \t]+)?phrase|(?:twelve|twenty[ -]four|12|24)[ \t]+words)\b[^A-Za-z]{0,6}(?:[A-Za-z]+[^A-Za-z]{1,4}){0,3}$/i
const CHECKSUM_LENGTHS = [24, 21, 18, 15, 12]
/** Longer runs are dropped anyway; checking every window of them would only cost time. */
const CHECKSUM_MAX_RUN = 48

interface Word {
  start: number
  end: number
  word: string
}

function runs(text: string): Word[][] {
  const all: Word[][] = []
  let run: Word[] = []
  let last: Word | null = null
  for (const m of text.matchAll(WORD)) {
    const word = m[0].toLowerCase()
    const current = { start: m.index, end: m.index + m[0].length, word }
    const joined = last !== null && GAP.test(text.slice(last.end, current.start))
    if (!joined && run.length > 0) {
      all.push(run)
      run = []
    }
    if (WORDS.has(word)) {
      run.push(current)
      last = current
    } else if (SPOKEN_NUMBERS.has(word) && run.length > 0) {
      last = current
    } else {
      if (run.length > 0) all.push(run)
      run = []
      last = current
    }
  }
  if (run.length > 0) all.push(run)
  return all
}

function hasValidChecksum(words: string[]): boolean {
  for (const n of CHECKSUM_LENGTHS) {
    for (let i = 0; i + n <= words.length; i++) {
      if (validateMnemonic(words.slice(i, i + n).join(' '), wordlist)) return true
    }
  }
  return false
}

export function detectSeedPhrases(text: string): Detection[] {
  const hits: Detection[] = []
  for (const run of runs(text)) {
    const strong = run.filter((w) => !WEAK.has(w.word)).length
    if (strong < 4) continue
    const first = run[0] as Word
    const last = run[run.length - 1] as Word
    const labelled = LABEL.test(text.slice(Math.max(0, first.start - 60), first.start))
    const valid =
      run.length >= 12 && run.length <= CHECKSUM_MAX_RUN && hasValidChecksum(run.map((w) => w.word))
    if (!valid && strong < (labelled ? 4 : 6)) continue
    const score = valid || run.length > CHECKSUM_MAX_RUN ? 0.99 : labelled ? 0.9 : 0.75
    hits.push(tier1Hit(text, first.start, last.end, 'seed_phrase', 'bip39-seed', score))
  }
  return hits
}
