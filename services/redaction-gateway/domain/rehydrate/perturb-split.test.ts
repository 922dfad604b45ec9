/**
 * The stream rehydrator against the whole-text one: split at every offset (and one character at a
 * time), with and without JSON escaping and surface forms, it writes exactly what the whole text
 * gives. And restoring is local: a text made of pieces restores as its pieces do, so no form ever
 * takes a value meant for a neighbour.
 */
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { createStreamRehydrator, type RehydrateOptions, rehydrate } from './rehydrate.ts'
import { contextCounter, type SurfaceLookup } from './surfaces.ts'
import { mapLookup } from './testing-maps.ts'

const MAP: Record<string, string> = {
  '[PERSON_1]': 'Sarah Johnson',
  '[PERSON_12]': 'Zoë "Z" Ng',
  '[ORG_1]': 'Acme <Capital> & Co',
  '[EMAIL_1]': 'sarah@example.com',
  '[BTC_ADDR_1]': 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
}

/** Texts as models and renderers write them: exact, altered, escaped, cut, hallucinated, neutralised. */
const TEXTS = [
  'Dear [PERSON_1], [ORG_1] wrote to [EMAIL_1].',
  '[PERSON_1][PERSON_12][PERSON_99][ORG_1]',
  'Markdown: **[PERSON_1]** and [PERSON_12](https://example.org) and `[ORG_1]` and \\[PERSON\\_1\\].',
  'HTML: &lt;b&gt;&#91;PERSON_1&#93;&lt;/b&gt; &lbrack;ORG_1&rbrack; &#x5b;person_12&#x5d;',
  'JSON: {"to": "[PERSON_1]", "org": "\\u005bORG_1\\u005d"}',
  'Tolerant: [person_1], ( PERSON 12 ), {ORG-1}, PERSON_1, [PERSON1] and [[EMAIL_1]].',
  'Not ours: [PERSON_120] [ORG_2] person 1 PERSONAL_1 ［PERSON_1］ X[PERSON_1',
  'Cut at the end: [PERSON_',
  'Cut at the end: [PERSON_1',
  'Cut at the end: PERSON_1',
  'BTC [BTC_ADDR_1] then [btc addr 1] then BTC_ADDR_1.',
  'Line\n[PERSON_12]\n\t[ PERSON_12 ]\r\n',
]

function streamed(text: string, cuts: number[], options: RehydrateOptions = {}): string {
  const stream = createStreamRehydrator(mapLookup(MAP), options)
  let out = ''
  let at = 0
  for (const cut of [...cuts, text.length]) {
    out += stream.push(text.slice(at, cut))
    at = cut
  }
  return out + stream.end()
}

/** Records surfaces the way `/scrub` does: the text each placeholder replaced, under its context. */
function scrubbedWithSurfaces(pieces: Array<string | { token: string; surface: string }>) {
  let text = ''
  const spots: Array<{ start: number; end: number; token: string; surface: string }> = []
  for (const piece of pieces) {
    if (typeof piece === 'string') text += piece
    else {
      spots.push({ start: text.length, end: text.length + piece.token.length, ...piece })
      text += piece.token
    }
  }
  const recorded = new Map<string, string>()
  const key = (token: string, c: { before: string; after: string; nth: number }) =>
    JSON.stringify([token, c.before, c.after, c.nth])
  const count = contextCounter()
  for (const s of spots) recorded.set(key(s.token, count(text, s.token, s.start, s.end)), s.surface)
  const asked: number[] = []
  const surfaces: SurfaceLookup = (occurrences) => {
    asked.push(occurrences.length)
    return occurrences.map((o) => recorded.get(key(o.token, o)))
  }
  return { text, surfaces, asked }
}

describe('stream and whole text agree', () => {
  it('split at every offset, plain and inside a JSON string', () => {
    for (const text of TEXTS) {
      for (const json of [false, true]) {
        const whole = rehydrate(text, mapLookup(MAP), { json }).text
        for (let cut = 0; cut <= text.length; cut++) {
          expect(streamed(text, [cut], { json }), JSON.stringify({ text, cut, json })).toBe(whole)
        }
        const oneByOne = Array.from({ length: text.length }, (_, i) => i)
        expect(streamed(text, oneByOne, { json }), JSON.stringify({ text, json })).toBe(whole)
      }
    }
  })

  it('inside a JSON string, a restored value keeps the JSON valid', () => {
    const args = '{"to": "[PERSON_12]", "org": "[ORG_1]", "cc": "[person_1]"}'
    const out = streamed(args, [9, 10, 11, 30], { json: true })
    expect(JSON.parse(out)).toEqual({ to: 'Zoë "Z" Ng', org: 'Acme <Capital> & Co', cc: 'Sarah Johnson' })
  })

  it('with surface forms: exact placeholders in their recorded context get them, whole or split anywhere', () => {
    const { text, surfaces } = scrubbedWithSurfaces([
      'Met ',
      { token: '[PERSON_1]', surface: 'Sarah' },
      ' today; later Ms. ',
      { token: '[PERSON_1]', surface: 'Johnson' },
      ' of ',
      { token: '[ORG_1]', surface: 'ACME <CAPITAL> & CO' },
      ' wrote. ',
      { token: '[PERSON_1]', surface: 'Sarah Johnson' },
    ])
    const whole = rehydrate(text, mapLookup(MAP), { surfaces }).text
    expect(whole).toBe('Met Sarah today; later Ms. Johnson of ACME <CAPITAL> & CO wrote. Sarah Johnson')
    for (let cut = 0; cut <= text.length; cut++)
      expect(streamed(text, [cut], { surfaces }), String(cut)).toBe(whole)
    expect(
      streamed(
        text,
        Array.from({ length: text.length }, (_, i) => i),
        { surfaces },
      ),
    ).toBe(whole)
    // Another context, or an altered form, is the model's own writing: the value.
    const reply = `Please ask [PERSON_1] and [person_1]. ${text.slice(0, 20)}`
    expect(rehydrate(reply, mapLookup(MAP), { surfaces }).text).toBe(
      'Please ask Sarah Johnson and Sarah Johnson. Met Sarah Johnson today',
    )
  })

  it('a surface is never asked for a token the map does not hold', () => {
    const { text, surfaces, asked } = scrubbedWithSurfaces([
      'x ',
      { token: '[PERSON_99]', surface: 'Nobody' },
      ' y',
    ])
    expect(rehydrate(text, mapLookup(MAP), { surfaces }).text).toBe('x [PERSON_99] y')
    expect(asked).toEqual([])
  })
})

describe('restoring is local', () => {
  const FORMS = [
    ...Object.keys(MAP),
    '[person_1]',
    '(ORG_1)',
    '&#91;PERSON_12&#93;',
    '\\[EMAIL\\_1\\]',
    '\\u005bBTC_ADDR_1\\u005d',
    'PERSON-12',
    '[PERSON_99]',
    '[ORG_2]',
    '［ORG_1］',
    'PERSON_1X',
    '[PERSON_1',
    'ORG_1]',
  ]
  const SEPARATORS = [' | ', ' ; ', '\n', ' — ']

  it('a text of seeded random forms restores as each form does alone', () => {
    const random = seededRandom(29)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
    for (let n = 0; n < 2000; n++) {
      const forms = Array.from({ length: 2 + Math.floor(random() * 5) }, () => pick(FORMS))
      const separator = pick(SEPARATORS)
      const json = random() < 0.3
      const text = forms.join(separator)
      const alone = forms.map((f) => rehydrate(f, mapLookup(MAP), { json }).text).join(separator)
      expect(rehydrate(text, mapLookup(MAP), { json }).text, text).toBe(alone)
      const cuts = [Math.floor(random() * text.length), Math.floor(random() * text.length)].sort(
        (a, b) => a - b,
      )
      expect(streamed(text, cuts, { json }), text).toBe(alone)
    }
  })
})
