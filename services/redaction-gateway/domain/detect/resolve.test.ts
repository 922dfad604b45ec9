import { describe, expect, it } from 'vitest'
import { resolve } from './resolve.ts'
import type { Detection, EntityType } from './types.ts'

const text = 'Sarah Johnson of Acme Capital paid 4111 1111 1111 1111 today'

function at(value: string, type: EntityType | null, detector: string, score = 0.8): Detection {
  const start = text.indexOf(value)
  const tier = type ? 2 : 1
  return {
    start,
    end: start + value.length,
    tier,
    type,
    kind: type ? null : 'card_number',
    detector,
    score,
    value,
  }
}

describe('resolve', () => {
  it('lets Tier-1 beat a larger Tier-2 span and trims the loser', () => {
    const out = resolve(text, [
      at('paid 4111 1111', 'AMOUNT', 'amount', 0.9),
      at('4111 1111 1111 1111', null, 'tier1'),
    ])
    expect(out.map((d) => [d.tier, d.value])).toEqual([[1, '4111 1111 1111 1111']])
  })

  it('lets the larger span win, then the score, then the detector priority', () => {
    const bigger = resolve(text, [
      at('Sarah', 'PERSON', 'names'),
      at('Sarah Johnson of Acme', 'ORG', 'names-nlp', 0.1),
    ])
    expect(bigger.map((d) => d.value)).toEqual(['Sarah Johnson of Acme'])
    const scored = resolve(text, [
      at('Acme Capital', 'ORG', 'names', 0.6),
      at('Acme Capital', 'FUND', 'names', 0.9),
    ])
    expect(scored.map((d) => d.type)).toEqual(['FUND'])
    const ranked = resolve(text, [at('Acme Capital', 'ORG', 'names'), at('Acme Capital', 'ORG', 'known')])
    expect(ranked.map((d) => d.detector)).toEqual(['known'])
  })

  it('keeps the part of a partial overlap outside the winner', () => {
    const out = resolve(text, [
      at('Johnson of Acme Capital', 'ORG', 'names'),
      at('Sarah Johnson of', 'PERSON', 'x', 0.2),
    ])
    expect(out.map((d) => [d.type, d.value])).toEqual([
      ['PERSON', 'Sarah'],
      ['ORG', 'Johnson of Acme Capital'],
    ])
  })

  it('merges adjacent spans of one type', () => {
    const out = resolve(text, [at('Johnson', 'PERSON', 'a'), at('Sarah', 'PERSON', 'b')])
    expect(out.map((d) => [d.value, d.start, d.end])).toEqual([['Sarah Johnson', 0, 13]])
  })

  it('never merges across another word or another type', () => {
    const out = resolve(text, [
      at('Johnson', 'PERSON', 'a'),
      at('Acme Capital', 'PERSON', 'b'),
      at('Sarah', 'ORG', 'c'),
    ])
    expect(out.map((d) => d.value)).toEqual(['Sarah', 'Johnson', 'Acme Capital'])
  })
})
