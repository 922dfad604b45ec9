import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { normaliseSpokenDigits } from './spoken.ts'
import { detectPhones } from './structured-contact.ts'
import { detectSpokenNumbers } from './structured-spoken.ts'
import type { Detection } from './types.ts'

const LINES = [
  'yeah so my number is four one five, five five five, zero one three four and',
  'call me on four four, seven four zero zero, one two three four five six tomorrow',
  '[00:12:31] Speaker 2: the office line is +44 20 7946 0958 as before',
  'one or two of them said the wire was nine million',
  'we met at 10:30 and then spoke for an hour',
  'the reference is seven seven one two, three four nine nine',
  'double five oh seven three eight one two',
  'nothing spoken here, just words',
]

/** The reading before it was cut to the rewritten lines: the whole rewritten text. */
function wholeText(text: string): Detection[] {
  const spoken = normaliseSpokenDigits(text)
  if (!spoken.changed) return []
  return detectPhones(spoken.text).flatMap((d) => {
    const [start, end] = spoken.toOriginal(d.start, d.end)
    const value = text.slice(start, end)
    return /\p{L}/u.test(value) ? [{ ...d, start, end, value, detector: `${d.detector}-spoken` }] : []
  })
}

describe('spoken numbers, read on the rewritten lines only', () => {
  it('find what reading the whole rewritten text finds', () => {
    const rand = seededRandom(7)
    let found = 0
    for (let n = 0; n < 80; n++) {
      const lines = Array.from(
        { length: 1 + Math.floor(rand() * 8) },
        () => LINES[Math.floor(rand() * LINES.length)]!,
      )
      const text = lines.join(rand() < 0.5 ? '\n' : '\n\n')
      const got = detectSpokenNumbers(text, detectPhones)
      found += got.length
      expect(got).toEqual(wholeText(text))
    }
    expect(found).toBeGreaterThan(40)
  })
})
