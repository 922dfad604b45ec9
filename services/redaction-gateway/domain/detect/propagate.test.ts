import { describe, expect, it } from 'vitest'
import { ownersOf, propagate } from './propagate.ts'
import type { Detection } from './types.ts'

function person(text: string, value: string, from = 0): Detection {
  const start = text.indexOf(value, from)
  return {
    start,
    end: start + value.length,
    tier: 2,
    type: 'PERSON',
    kind: null,
    detector: 'names',
    score: 0.9,
    value,
  }
}

describe('propagate', () => {
  it('gives later first names, surnames and titled surnames the full name', () => {
    const text = 'Sarah Johnson called. Later Ms. Johnson said sarah would sign.'
    const out = propagate(text, [person(text, 'Sarah Johnson')])
    expect(out.map((d) => [text.slice(d.start, d.end), d.value])).toEqual([
      ['Sarah Johnson', 'Sarah Johnson'],
      ['Johnson', 'Sarah Johnson'],
      ['sarah', 'Sarah Johnson'],
    ])
  })

  it('also covers a mention before the full name', () => {
    const text = 'Johnson? Yes, Sarah Johnson.'
    expect(propagate(text, [person(text, 'Sarah Johnson')]).map((d) => d.start)).toEqual([0, 14])
  })

  it('leaves a first name two people share alone', () => {
    const text = 'Sarah Johnson and Sarah Lee met; Sarah left.'
    const out = propagate(text, [person(text, 'Sarah Johnson'), person(text, 'Sarah Lee')])
    expect(out).toHaveLength(2)
  })

  it('joins a separately detected part to its entity and skips claimed spans', () => {
    const text = 'Will Grant and Grant; we will grant it.'
    const grant = person(text, 'Grant', 11)
    const out = propagate(text, [person(text, 'Will Grant'), { ...grant, detector: 'names-given' }])
    expect(out.map((d) => [text.slice(d.start, d.end), d.value])).toEqual([
      ['Will Grant', 'Will Grant'],
      ['Grant', 'Will Grant'],
    ])
  })

  it('does nothing without a multi-word person', () => {
    const text = 'Sarah said hi'
    expect(propagate(text, [person(text, 'Sarah')])).toEqual([person(text, 'Sarah')])
  })

  it('takes people found elsewhere (other items, the map being extended) as owners too', () => {
    const text = 'Ms. Johnson agreed; sarah will sign, and Mark too.'
    const out = propagate(text, [], ownersOf(['Sarah Johnson', 'Mark Lee']))
    expect(out.map((d) => [text.slice(d.start, d.end), d.value])).toEqual([
      ['Johnson', 'Sarah Johnson'],
      ['sarah', 'Sarah Johnson'],
      ['Mark', 'Mark Lee'],
    ])
  })

  it('joins a lone first name detected here to a person found elsewhere', () => {
    const text = 'Sarah called.'
    const out = propagate(text, [person(text, 'Sarah')], ownersOf(['Sarah Johnson']))
    expect(out.map((d) => d.value)).toEqual(['Sarah Johnson'])
  })

  it('leaves a part alone when a person here and one found elsewhere share it', () => {
    const text = 'Sarah Lee arrived; Sarah left, Ms. Lee stayed.'
    const out = propagate(
      text,
      [person(text, 'Sarah Lee')],
      ownersOf(['Sarah Lee', 'Sarah Johnson', 'sarah johnson']),
    )
    expect(out.map((d) => [text.slice(d.start, d.end), d.value])).toEqual([
      ['Sarah Lee', 'Sarah Lee'],
      ['Lee', 'Sarah Lee'],
    ])
  })
})
