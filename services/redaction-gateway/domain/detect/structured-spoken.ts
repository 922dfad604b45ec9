import { normaliseSpokenDigits } from './spoken.ts'
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
  const out: Detection[] = []
  for (const d of read(spoken.text)) {
    const [start, end] = spoken.toOriginal(d.start, d.end)
    const value = text.slice(start, end)
    if (!/\p{L}/u.test(value)) continue
    out.push({ ...d, start, end, value, detector: `${d.detector}-spoken` })
  }
  return out
}
