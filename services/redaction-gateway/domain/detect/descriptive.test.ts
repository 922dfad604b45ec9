import { describe, expect, it } from 'vitest'
import { descriptiveFlags } from './descriptive.ts'

/** The flagged phrases, as the caller would read them out of the scrubbed text. */
function flagged(text: string): string[] {
  return descriptiveFlags(text).map((f) => text.slice(f.span[0], f.span[1]))
}

describe('descriptiveFlags', () => {
  it('flags a role tied to an organisation or a place', () => {
    expect(flagged('We met the CFO of [ORG_1] yesterday.')).toEqual(['the CFO of [ORG_1]'])
    expect(flagged('Call our largest LP in Zug.')).toEqual(['our largest LP in Zug'])
    expect(flagged('[ORG_2]’s head of treasury signed it')).toEqual(['[ORG_2]’s head of treasury'])
    expect(flagged('the new managing partner at Acme Capital')).toEqual([
      'the new managing partner at Acme Capital',
    ])
  })

  it('flags ages, in digits and in words', () => {
    expect(flagged('She is a 62-year-old widow.')).toEqual(['62-year-old'])
    expect(flagged('he is 45 years old and aged 45 on paper')).toEqual(['45 years old', 'aged 45'])
    expect(flagged('a sixty-two-year-old founder')).toEqual(['sixty-two-year-old'])
    expect(flagged('someone in her early sixties, born in 1962')).toEqual([
      'in her early sixties',
      'born in 1962',
    ])
    expect(flagged('born on [DATE_1]')).toEqual(['born on [DATE_1]'])
  })

  it('flags a relation next to a person', () => {
    expect(flagged("[PERSON_1]'s wife called")).toEqual(["[PERSON_1]'s wife"])
    expect(flagged('[PERSON_3]’s late husband')).toEqual(['[PERSON_3]’s late husband'])
    expect(flagged('the daughter of [PERSON_2] joined')).toEqual(['daughter of [PERSON_2]'])
  })

  it('flags a unique descriptor with what it is unique in', () => {
    expect(flagged('Ask the only woman on the board.')).toEqual(['the only woman on the board'])
    expect(flagged('She was the first female partner at [ORG_1].')).toEqual([
      'the first female partner at [ORG_1]',
    ])
  })

  it('merges overlapping phrases into one span, in text order', () => {
    const text = 'our largest LP in Zug, a 70-year-old, and the CEO of [ORG_1]'
    const flags = descriptiveFlags(text)
    expect(flags.map((f) => f.kind)).toEqual(['role', 'age', 'role'])
    expect(flags.every((f) => f.action === 'flag')).toBe(true)
    for (let i = 1; i < flags.length; i++)
      expect(flags[i]!.span[0]).toBeGreaterThanOrEqual(flags[i - 1]!.span[1])
  })

  it('leaves ordinary sentences, bare roles and plain numbers alone', () => {
    const text =
      'The first time we met, the CEO said the deal closes in 30 days. Our wife-friendly office ' +
      'has 62 desks; his brother-in-arms is a partner. Help in Zug was fine, the CFO agreed.'
    expect(flagged(text)).toEqual([])
  })

  it('counts offsets in UTF-16 units, as the scrubbed text a caller holds', () => {
    const text = '😀 café — the CTO of [ORG_1]'
    const [flag] = descriptiveFlags(text)
    expect(text.slice(flag!.span[0], flag!.span[1])).toBe('the CTO of [ORG_1]')
    expect(flag!.span[0]).toBe(text.indexOf('the CTO'))
  })

  it('answers in linear time on long adversarial text', () => {
    const text = `${'the the the new new new '.repeat(4000)}CFO`
    const started = performance.now()
    descriptiveFlags(text)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
