import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { createStreamRehydrator, type RehydrateOptions, rehydrate } from './rehydrate.ts'
import { mapLookup } from './testing-maps.ts'

const MAP = {
  '[PERSON_1]': 'Sarah "SJ" Johnson',
  '[PERSON_12]': 'Zoë Ng',
  '[ORG_1]': 'Acme\\Capital',
  '[BTC_ADDR_1]': 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  '[EMAIL_1]': 'sj@acme.example\n',
}

const TEXTS = [
  'Call [PERSON_1] at [ORG_1]; [PERSON_12] and [PERSON_99] too.',
  '[person_1] [ PERSON 1 ] (PERSON_12) {ORG-1} PERSON_1, BTC_ADDR_1 and [btc addr 1]',
  '&#91;PERSON_1&#93; &lbrack;ORG_1&rbrack; \\[PERSON\\_12\\] \\u005bEMAIL_1\\u005d \\[PERSON_1]',
  '[[[PERSON_1]]] [PERSON_1 [ORG_1 ORG_1] [ & \\ &# \\u00 ［PERSON_1］ XPERSON_1 PERSON_1x',
  'ends with a lone [',
  'ends with PERSON_1',
  'ends with [PERSON_1',
  'ends with \\[PERSON\\_1\\',
  '',
]

/** The text cut at the given positions and streamed piece by piece. */
function streamed(text: string, cuts: number[], options: RehydrateOptions = {}) {
  const stream = createStreamRehydrator(mapLookup(MAP), options)
  let out = ''
  let from = 0
  for (const cut of [...cuts, text.length]) {
    out += stream.push(text.slice(from, cut))
    from = cut
  }
  out += stream.end()
  return { text: out, restored: stream.restored, unknown: [...stream.unknown].sort() }
}

function whole(text: string, options: RehydrateOptions = {}) {
  const out = rehydrate(text, mapLookup(MAP), options)
  return { ...out, unknown: out.unknown.sort() }
}

describe('stream rehydrator', () => {
  it.each(TEXTS)('gives the same output as the whole text, cut at every position: %s', (text) => {
    const expected = whole(text)
    for (let cut = 0; cut <= text.length; cut++)
      expect(streamed(text, [cut]), `cut at ${cut}`).toEqual(expected)
    expect(
      streamed(
        text,
        [...text].map((_, i) => i),
      ),
    ).toEqual(expected)
  })

  it('gives the same output for random texts in random pieces, and in JSON-string mode', () => {
    const random = seededRandom(1019)
    const pool = [...TEXTS, 'plain words ', ' ', '\n', 'PERSON', '_1', '[', ']', '\\', '&#9', '1]', 'ORG-']
    for (let n = 0; n < 300; n++) {
      let text = ''
      for (let k = 0; k < 12; k++) text += pool[Math.floor(random() * pool.length)]
      const cuts = [
        ...new Set(Array.from({ length: 6 }, () => Math.floor(random() * (text.length + 1)))),
      ].sort((a, b) => a - b)
      expect(streamed(text, cuts), JSON.stringify({ text, cuts })).toEqual(whole(text))
      expect(streamed(text, cuts, { json: true })).toEqual(whole(text, { json: true }))
    }
  })

  it('holds back only what could still become a token, and emits the rest at once', () => {
    const stream = createStreamRehydrator(mapLookup(MAP))
    expect(stream.push('Hello [')).toBe('Hello ')
    expect(stream.push('PERS')).toBe('')
    expect(stream.push('ON_1] and ')).toBe('Sarah "SJ" Johnson and ')
    expect(stream.push('PERSON_1')).toBe('')
    expect(stream.push('2, bye')).toBe('Zoë Ng, bye')
    expect(stream.push(' [1')).toBe(' [1')
    expect(stream.push(' ORG_1')).toBe(' ')
    expect(stream.end()).toBe('Acme\\Capital')
    expect(stream.restored).toBe(3)
  })

  it('keeps JSON tool-call argument deltas valid: restored values are escaped, split tokens joined', () => {
    const deltas = ['{"to": "[PER', 'SON_1]", "org": "[ORG', '_1]", "mail": "\\u005bEMAIL', '_1\\u005d"}']
    const stream = createStreamRehydrator(mapLookup(MAP), { json: true })
    const out = deltas.map((d) => stream.push(d)).join('') + stream.end()
    expect(JSON.parse(out)).toEqual({ to: MAP['[PERSON_1]'], org: MAP['[ORG_1]'], mail: MAP['[EMAIL_1]'] })
  })

  it('asks the map for each token once across chunks', () => {
    const lookup = mapLookup(MAP)
    const stream = createStreamRehydrator(lookup)
    for (const chunk of ['[PERSON_1] ', '[PERSON_1] ', '[ORG', '_1] [PERSON_1]']) stream.push(chunk)
    stream.end()
    expect(lookup.asked.filter((t) => t === '[PERSON_1]')).toHaveLength(1)
  })
})
