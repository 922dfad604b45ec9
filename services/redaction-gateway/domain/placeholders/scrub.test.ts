import { describe, expect, it } from 'vitest'
import type { Detection, EntityType } from '../detect/types.ts'
import { restoreNeutralised } from './neutralise.ts'
import { scrubText, TIER1_REPLACEMENT } from './scrub.ts'
import { assignTokens, createTokenMap, type TokenMap, tokenMapFrom } from './tokens.ts'

function spans(text: string, found: [string, EntityType | null][]): Detection[] {
  let from = 0
  return found.map(([value, type]) => {
    const start = text.indexOf(value, from)
    from = start + value.length
    const tier = type ? 2 : 1
    return { start, end: from, tier, type, kind: type ? null : 'ssn', detector: 'test', score: 1, value }
  })
}

/** A stand-in for rehydration: every known token back to its value, then the neutralised brackets. */
function fakeRehydrate(text: string, map: TokenMap): string {
  const restored = text.replace(/\[[A-Z][A-Z0-9_]*_\d+\]/g, (token) => map.values.get(token) ?? token)
  return restoreNeutralised(restored)
}

describe('placeholders', () => {
  it('numbers tokens per type and gives one value one token', () => {
    const text = 'Sarah met Acme, then SARAH met Bolt and Acme.'
    const found = spans(text, [
      ['Sarah', 'PERSON'],
      ['Acme', 'ORG'],
      ['SARAH', 'PERSON'],
      ['Bolt', 'ORG'],
      ['Acme', 'ORG'],
    ])
    const tokens = assignTokens(found, createTokenMap()).map((a) => a.token)
    expect(tokens).toEqual(['[PERSON_1]', '[ORG_1]', '[PERSON_1]', '[ORG_2]', '[ORG_1]'])
  })

  it('keeps tokens stable across calls sharing a map, and rebuilt from its entries', () => {
    const map = createTokenMap()
    const first = scrubText('mail jane@acme.io', spans('mail jane@acme.io', [['jane@acme.io', 'EMAIL']]), map)
    const spoken = 'or jane at acme dot io, or bob@x.com'
    const detections = spans(spoken, [
      ['jane at acme dot io', 'EMAIL'],
      ['bob@x.com', 'EMAIL'],
    ])
    const second = scrubText(spoken, detections, map)
    expect(first.text).toBe('mail [EMAIL_1]')
    expect(second.text).toBe('or [EMAIL_1], or [EMAIL_2]')
    const rebuilt = tokenMapFrom([...map.values].map(([token, value]) => ({ token, value })))
    expect(scrubText('x bob@x.com', spans('x bob@x.com', [['bob@x.com', 'EMAIL']]), rebuilt).text).toBe(
      'x [EMAIL_2]',
    )
    expect(scrubText('c@d.io', spans('c@d.io', [['c@d.io', 'EMAIL']]), rebuilt).text).toBe('[EMAIL_3]')
  })

  it('drops Tier-1 spans without tokenising or storing them', () => {
    const text = 'SSN 123-45-6789 for Sarah'
    const map = createTokenMap()
    const out = scrubText(
      text,
      spans(text, [
        ['123-45-6789', null],
        ['Sarah', 'PERSON'],
      ]),
      map,
    )
    expect(out).toEqual({
      text: `SSN ${TIER1_REPLACEMENT} for [PERSON_1]`,
      tokensUsed: ['[PERSON_1]'],
      tier1Dropped: 1,
      tier2Tokenized: 1,
      // Where each token stands in the output, with the text it replaced (the surface form).
      occurrences: [{ token: '[PERSON_1]', start: 19, end: 29, surface: 'Sarah', value: 'Sarah' }],
    })
    expect([...map.values.values()]).toEqual(['Sarah'])
  })

  it('neutralises token-shaped input so rehydration cannot fill it', () => {
    const text = 'Sarah wrote [PERSON_1] and [ org-2 ] literally'
    const map = createTokenMap()
    const out = scrubText(text, spans(text, [['Sarah', 'PERSON']]), map)
    expect(out.text).toBe('[PERSON_1] wrote ［PERSON_1］ and ［ org-2 ］ literally')
    expect(fakeRehydrate(out.text, map)).toBe(text)
  })

  it('round-trips through a fake rehydrate', () => {
    const text = 'Call Priya Raman (+41 44 668 18 00) about $2–3M on March 3rd, 2026; Priya Raman agreed.'
    const map = createTokenMap()
    const found = spans(text, [
      ['Priya Raman', 'PERSON'],
      ['+41 44 668 18 00', 'PHONE'],
      ['$2–3M', 'AMOUNT'],
      ['March 3rd, 2026', 'DATE'],
      ['Priya Raman', 'PERSON'],
    ])
    const out = scrubText(text, found, map)
    expect(out.text).not.toMatch(/Priya|668|2–3M|March/)
    expect(out.tokensUsed).toEqual(['[PERSON_1]', '[PHONE_1]', '[AMOUNT_1]', '[DATE_1]'])
    expect(fakeRehydrate(out.text, map)).toBe(text)
  })

  it('buckets amounts and dates instead of tokenising them when asked', () => {
    const text = 'raise $2–3M by March 3rd, 2026, fee 0.5 BTC, then five million dollars on 2026-08-01'
    const found = spans(text, [
      ['$2–3M', 'AMOUNT'],
      ['March 3rd, 2026', 'DATE'],
      ['0.5 BTC', 'AMOUNT'],
      ['five million dollars', 'AMOUNT'],
      ['2026-08-01', 'DATE'],
    ])
    const byMonth = scrubText(text, found, createTokenMap(), { bucket: { amounts: true, dates: true } })
    expect(byMonth.text).toBe('raise $1M–$5M by March 2026, fee 0.1–1 BTC, then $5M–$10M on August 2026')
    expect(byMonth.tokensUsed).toEqual([])
    const byQuarter = scrubText(text, found, createTokenMap(), { bucket: { dates: 'quarter' } })
    expect(byQuarter.text).toBe('raise [AMOUNT_1] by Q1 2026, fee [AMOUNT_2], then [AMOUNT_3] on Q3 2026')
  })
})
