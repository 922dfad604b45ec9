import { normaliseSpokenDigits, type SpokenText } from './spoken.ts'
import type { Detection } from './types.ts'

/**
 * Numbers read aloud in transcripts ("four one five, five five five, zero one three four"): the text
 * with spelled digits rewritten is read by the written-number detectors (`read`: phones, long digit
 * runs) and each hit that covers a spelled digit is mapped back onto the words. Hits on digits that
 * were written as digits are left to the detectors that read the text as written.
 */
export function detectSpokenNumbers(text: string, read: (rewritten: string) => Detection[]): Detection[] {
  const spoken = normaliseSpokenDigits(text)
  if (!spoken.changed) return []
  const lines = rewrittenLines(text, spoken)
  const out: Detection[] = []
  for (const d of read(lines.text)) {
    const [start, end] = spoken.toOriginal(...lines.toRewritten(d.start, d.end))
    const value = text.slice(start, end)
    if (!/\p{L}/u.test(value)) continue
    out.push({ ...d, start, end, value, detector: `${d.detector}-spoken` })
  }
  return out
}

/**
 * Only the lines where digits were spelled out, joined by line breaks: a hit that covers a spelled
 * digit lies on such a line (neither libphonenumber's matcher nor the digit-run pattern reads across
 * a line break), and the other lines of a long transcript would be read again for nothing.
 */
function rewrittenLines(text: string, spoken: SpokenText) {
  const kept: { from: number; at: number }[] = []
  let joined = ''
  for (let from = 0; from <= spoken.text.length; ) {
    const newline = spoken.text.indexOf('\n', from)
    const to = newline < 0 ? spoken.text.length : newline
    const [start, end] = spoken.toOriginal(from, to)
    if (to > from && text.slice(start, end) !== spoken.text.slice(from, to)) {
      if (joined) joined += '\n'
      kept.push({ from, at: joined.length })
      joined += spoken.text.slice(from, to)
    }
    from = to + 1
  }
  const toRewritten = (start: number, end: number): [number, number] => {
    const line = kept.findLast((k) => k.at <= start)!
    return [line.from + start - line.at, line.from + end - line.at]
  }
  return { text: joined, toRewritten }
}
