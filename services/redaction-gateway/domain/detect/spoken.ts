/**
 * Transcripts spell digits out ("one two three, four five…"). `normaliseSpokenDigits` rewrites runs of
 * two or more spoken or written digits as plain digits so the digit detectors can read them, and keeps a
 * map from every character of the rewritten text back to the original, so a detection found in the
 * rewritten text lands on the right span of the text the caller gave.
 */
export interface SpokenText {
  /** The rewritten text; equal to the original when there was nothing to rewrite. */
  readonly text: string
  readonly changed: boolean
  /** The original span covering the rewritten span [start, end). */
  toOriginal(start: number, end: number): [number, number]
}

const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  nought: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
}
const REPEAT_WORDS: Record<string, number> = { double: 2, triple: 3 }

const TOKEN = /[A-Za-z]+|\d+/g
/** What may sit between two digits of one spoken number; a gap with punctuation marks a group. */
const SILENT_GAP = /^[ \t]+$/
const GROUP_GAP = /^[ \t]*[,.\-/;:]?[ \t]*$/
/** "oh" is a zero only inside a spoken number, not as an interjection at a sentence's edge. */
const WEAK_ZERO = /^oh$/i

interface Piece {
  out: string
  start: number
  end: number
}

interface DigitToken {
  start: number
  end: number
  digits: string
}

function digitTokens(text: string): DigitToken[] {
  const tokens: DigitToken[] = []
  let pendingRepeat: { start: number; times: number } | null = null
  for (const m of text.matchAll(TOKEN)) {
    const word = m[0].toLowerCase()
    const start = m.index
    const end = start + m[0].length
    const times = REPEAT_WORDS[word]
    if (times) {
      pendingRepeat = { start, times }
      continue
    }
    const digit = /^\d+$/.test(word) ? word : DIGIT_WORDS[word]
    const repeat =
      pendingRepeat && SILENT_GAP.test(text.slice(pendingRepeat.start, start).replace(/^\w+/, ''))
    if (digit !== undefined) {
      const spelled =
        digit.length === 1 && repeat && pendingRepeat ? digit.repeat(pendingRepeat.times) : digit
      tokens.push({ start: repeat && pendingRepeat ? pendingRepeat.start : start, end, digits: spelled })
    } else {
      tokens.push({ start, end, digits: '' })
    }
    pendingRepeat = null
  }
  return tokens
}

/** Splits the tokens into runs of digit tokens joined by spaces or a single punctuation mark. */
function digitRuns(text: string, tokens: DigitToken[]): DigitToken[][] {
  const runs: DigitToken[][] = []
  let run: DigitToken[] = []
  for (const token of tokens) {
    const previous = run[run.length - 1]
    const joins = previous && GROUP_GAP.test(text.slice(previous.end, token.start))
    if (token.digits === '') {
      if (run.length > 0) runs.push(run)
      run = []
    } else if (previous && !joins) {
      runs.push(run)
      run = [token]
    } else {
      run.push(token)
    }
  }
  if (run.length > 0) runs.push(run)
  return runs
    .map((r) => trimWeakZeros(text, r))
    .filter((r) => r.length >= 2 && r.some((t) => /[a-z]/i.test(text.slice(t.start, t.end))))
}

function trimWeakZeros(text: string, run: DigitToken[]): DigitToken[] {
  const weakAt = (i: number, neighbour: number) => {
    const token = run[i]
    const other = run[neighbour]
    if (!token || !other || !WEAK_ZERO.test(text.slice(token.start, token.end))) return false
    const gap = i < neighbour ? text.slice(token.end, other.start) : text.slice(other.end, token.start)
    return !SILENT_GAP.test(gap)
  }
  let from = 0
  let to = run.length
  while (to - from > 1 && weakAt(to - 1, to - 2)) to--
  while (to - from > 1 && weakAt(from, from + 1)) from++
  return run.slice(from, to)
}

function runPieces(text: string, run: DigitToken[]): Piece[] {
  const pieces: Piece[] = []
  run.forEach((token, i) => {
    const previous = run[i - 1]
    if (previous) {
      const gap = text.slice(previous.end, token.start)
      if (!SILENT_GAP.test(gap) && gap.length > 0)
        pieces.push({ out: '-', start: previous.end, end: token.start })
    }
    for (const d of token.digits) pieces.push({ out: d, start: token.start, end: token.end })
  })
  return pieces
}

/**
 * The Tier-1, secrets and structured detectors each ask for the same text in one scrub: the answer
 * is kept (it is immutable) until the synchronous scrub is over, so a long transcript is rewritten
 * once, not three times, and no text outlives the call that brought it.
 */
let last: { original: string; spoken: SpokenText } | null = null

export function normaliseSpokenDigits(original: string): SpokenText {
  if (last?.original === original) return last.spoken
  if (!last) queueMicrotask(() => (last = null))
  last = { original, spoken: rewrite(original) }
  return last.spoken
}

function rewrite(original: string): SpokenText {
  const runs = digitRuns(original, digitTokens(original))
  if (runs.length === 0) return { text: original, changed: false, toOriginal: (s, e) => [s, e] }
  const starts: number[] = []
  const ends: number[] = []
  let out = ''
  let cursor = 0
  const copy = (until: number) => {
    for (let i = cursor; i < until; i++) {
      starts.push(i)
      ends.push(i + 1)
    }
    out += original.slice(cursor, until)
  }
  for (const run of runs) {
    const first = run[0] as DigitToken
    copy(first.start)
    for (const piece of runPieces(original, run)) {
      out += piece.out
      starts.push(piece.start)
      ends.push(piece.end)
    }
    cursor = (run[run.length - 1] as DigitToken).end
  }
  copy(original.length)
  return {
    text: out,
    changed: true,
    toOriginal: (s, e) => [starts[s] ?? original.length, ends[Math.max(s, e - 1)] ?? original.length],
  }
}
