/**
 * The parts of a text worth handing to libphonenumber's matcher, with the same answers as the whole
 * text. The matcher parses every digit group it meets — each timestamp, "Speaker 2", the digits
 * inside a txid — once per region, and that was most of a long transcript's scrub time.
 *
 * Why cutting is safe: a candidate of the matcher is digits joined by phone punctuation (at most 4
 * in a row), lead characters (at most a few before the first digit) and an optional extension
 * ("ext. 12", at most ~20 characters before its digits); the checks around it read 1–3 characters
 * on either side. So no candidate, nor what its checks read, reaches the middle of a run of 32
 * characters without a digit: the text is cut there. A window is kept only when it has a group of
 * at least 4 digits joined by phone punctuation, since a number the matcher accepts has a national
 * number of at least 4 digits in every region's plan. `structured.test.ts` compares the windowed
 * answers with the whole-text answers.
 */
const DIGIT_FREE_RUN = /\P{Nd}{32,}/gu
const PHONE_JOINERS = String.raw`\-‐-―−ー－／/．. \u00A0\u00AD\u200B\u2060\u3000()（）［］\[\]~⁓∼～+＋`
const FOUR_DIGIT_GROUP = new RegExp(String.raw`\p{Nd}(?:[${PHONE_JOINERS}]*\p{Nd}){3}`, 'u')

/** `[start, end)` windows of `text`, in order, that may hold a phone number. */
export function phoneWindows(text: string): [number, number][] {
  const windows: [number, number][] = []
  let from = 0
  const keep = (to: number) => {
    if (FOUR_DIGIT_GROUP.test(text.slice(from, to))) windows.push([from, to])
    from = to
  }
  for (const m of text.matchAll(DIGIT_FREE_RUN)) keep(m.index + (m[0].length >> 1))
  keep(text.length)
  return windows
}
