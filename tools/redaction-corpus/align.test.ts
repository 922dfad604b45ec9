import { describe, expect, it } from 'vitest'
import { AlignmentError, alignScrubbed, coverage } from './align.ts'

const spans = (original: string, scrubbed: string) =>
  alignScrubbed(original, scrubbed).map((r) => [original.slice(r.start, r.end), r.type])

describe('alignScrubbed', () => {
  it('finds the span behind each token and each dropped Tier-1 span', () => {
    expect(spans('Dear Ann Lee, SSN 123-45-6789.', 'Dear [PERSON_1], SSN [REDACTED].')).toEqual([
      ['Ann Lee', 'PERSON'],
      ['123-45-6789', null],
    ])
    expect(spans('bc1qexample to Bo', '[BTC_ADDR_2] to [PERSON_1]')).toEqual([
      ['bc1qexample', 'BTC_ADDR'],
      ['Bo', 'PERSON'],
    ])
  })

  it('keeps a typed span on one line when a short run could sit inside a dropped block', () => {
    const original = 'key:\n-----BEGIN KEY-----\nabc\n-----END KEY-----\nAnn Lee'
    expect(spans(original, 'key:\n[REDACTED]\n[PERSON_1]')).toEqual([
      ['-----BEGIN KEY-----\nabc\n-----END KEY-----', null],
      ['Ann Lee', 'PERSON'],
    ])
  })

  it('refuses a scrubbed text that is not the original with spans replaced', () => {
    expect(() => alignScrubbed('Ann met Bo', 'Ann saw [PERSON_1]')).toThrow(AlignmentError)
    expect(() => alignScrubbed('Ann met Bo', 'Ann met Bob')).toThrow(AlignmentError)
  })

  it('marks each replaced character with its region and every other with -1', () => {
    const regions = alignScrubbed('a Bo c', 'a [PERSON_1] c')
    expect([...coverage(6, regions)]).toEqual([-1, -1, 0, 0, -1, -1])
  })
})
