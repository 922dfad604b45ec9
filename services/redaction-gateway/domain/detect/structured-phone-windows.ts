/**
 * The parts of a text worth handing to libphonenumber's matcher, joined into one shorter text that
 * gives the same answers. The matcher parses every digit group it meets — each timestamp,
 * "Speaker 2", the digits of a txid — once per region, and that was a large part of a long
 * transcript's scrub time.
 *
 * Why cutting is safe: a candidate of the matcher is digits joined by phone punctuation (at most 4
 * in a row, no line break), lead characters (a few before the first digit) and an optional
 * extension ("ext. 12", some 15 characters before its digits); the checks around it read 1–3
 * characters on either side, never across a line break. So the text can be cut after a line break,
 * and in the middle of a run of 40 characters without a digit, and the pieces joined with a line
 * break between them without changing what the matcher reads near any candidate. A piece is
 * kept only when it has a group of at least 4 digits joined by phone punctuation, since a number
 * the matcher accepts has a national number of at least 4 digits in every region's plan.
 * `structured-phone-windows.test.ts` compares the answers with those over the whole text.
 */
const CUT = /\n|\P{Nd}{40,}/gu
const PHONE_JOINERS = String.raw`\-‐-―−ー－／/．. \u00A0\u00AD\u200B\u2060\u3000()（）［］\[\]~⁓∼～+＋`
const FOUR_DIGIT_GROUP = new RegExp(String.raw`\p{Nd}(?:[${PHONE_JOINERS}]*\p{Nd}){3}`, 'u')

export interface PhoneWindows {
  /** The kept pieces, joined. */
  text: string
  /** Maps a span of `text` back to the original. */
  toOriginal(start: number, end: number): [number, number]
}

export function phoneWindows(text: string): PhoneWindows {
  const pieces: { from: number; to: number; at: number }[] = []
  let joined = ''
  let from = 0
  const keep = (to: number) => {
    if (to > from && FOUR_DIGIT_GROUP.test(text.slice(from, to))) {
      // A piece that started a line is read after a line break, as in the text.
      if (joined && !joined.endsWith('\n')) joined += '\n'
      pieces.push({ from, to, at: joined.length })
      joined += text.slice(from, to)
    }
    from = to
  }
  for (const m of text.matchAll(CUT)) keep(m[0] === '\n' ? m.index + 1 : m.index + (m[0].length >> 1))
  keep(text.length)
  const original = (at: number) => {
    let lo = 0
    let hi = pieces.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (pieces[mid]!.at <= at) lo = mid
      else hi = mid - 1
    }
    const piece = pieces[lo]!
    return piece.from + (at - piece.at)
  }
  return { text: joined, toOriginal: (start, end) => [original(start), original(end - 1) + 1] }
}
