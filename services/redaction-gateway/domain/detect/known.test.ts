import { describe, expect, it } from 'vitest'
import { detectKnown } from './known.ts'
import { fold } from './known-fold.ts'

const persons = ['Zoë Smith-Jones', 'Will Grant', 'Finn Ødegaard']

function values(text: string, known = { persons }): string[] {
  return detectKnown(text, { knownEntities: known }).map((d) => text.slice(d.start, d.end))
}

describe('known entities', () => {
  it('matches accents, case, ligatures, zero-width characters and dashes folded', () => {
    expect(values('ZOË SMITH\u200b–JONES called')).toContain('ZOË SMITH\u200b–JONES')
    expect(values('then zoe smith jones said')).toContain('zoe smith jones')
    expect(values('met ﬁnn Ødegaard and Finn Odegaard')).toEqual(
      expect.arrayContaining(['ﬁnn Ødegaard', 'Finn Odegaard']),
    )
  })

  it('matches a hyphenated surname spaced, and each part of a name alone', () => {
    expect(values('Ms. Smith Jones agreed')).toContain('Smith Jones')
    expect(values('ask Ms. Jones')).toContain('Jones')
    expect(values('zoe will sign')).toContain('zoe')
  })

  it('matches an everyday-word part only capitalised', () => {
    expect(values('we will grant it')).toEqual([])
    expect(values('it will do, we grant that')).toEqual([])
    expect(values('Grant agreed')).toEqual(['Grant'])
  })

  it('matches whole words only', () => {
    expect(values('Jonestown and smithery')).toEqual([])
  })

  it('types each list and offsets point into the original', () => {
    const text = 'Email Jane@Acme.com about Acme Capital in Zürich.'
    const found = detectKnown(text, {
      knownEntities: { emails: ['jane@acme.com'], orgs: ['Acme Capital'], locations: ['Zurich'] },
    })
    expect(found.map((d) => [d.type, d.value])).toEqual([
      ['ORG', 'Acme Capital'],
      ['EMAIL', 'Jane@Acme.com'],
      ['LOC', 'Zürich'],
    ])
    for (const d of found) expect(text.slice(d.start, d.end)).toBe(d.value)
  })

  it('finds nothing without known entities', () => {
    expect(detectKnown('Zoë Smith-Jones', {})).toEqual([])
  })

  it('folds with a map back to every original character', () => {
    const f = fold('Ｚoë  ß')
    expect(f.text).toBe('zoe ss')
    expect(f.starts).toEqual([0, 1, 2, 3, 5, 5])
  })
})
