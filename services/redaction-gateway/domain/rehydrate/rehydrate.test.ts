import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { neutralise } from '../placeholders/neutralise.ts'
import { rehydrate } from './rehydrate.ts'
import { mapLookup } from './testing-maps.ts'

const MAP = {
  '[PERSON_1]': 'Sarah Johnson',
  '[PERSON_2]': 'Mark Lee',
  '[PERSON_12]': 'Zoë Ng',
  '[ORG_1]': 'Acme Capital',
  '[BTC_ADDR_1]': 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  '[EMAIL_1]': 'sj@acme.example',
}
const lookup = mapLookup(MAP)

describe('rehydrate: exact and tolerant forms of known tokens', () => {
  it.each([
    ['Call [PERSON_1] at [ORG_1].', 'Call Sarah Johnson at Acme Capital.'],
    ['[PERSON_12] and [PERSON_1]2', 'Zoë Ng and Sarah Johnson2'],
    ['[person_1]', 'Sarah Johnson'],
    ['[ PERSON 1 ]', 'Sarah Johnson'],
    ['[Person-1]', 'Sarah Johnson'],
    ['[PERSON1]', 'Sarah Johnson'],
    ['(PERSON_1)', 'Sarah Johnson'],
    ['{PERSON_1}', 'Sarah Johnson'],
    ['see PERSON_1, then PERSON-2.', 'see Sarah Johnson, then Mark Lee.'],
    ['[PERSON_1 said', 'Sarah Johnson said'],
    ['and PERSON_1] said', 'and Sarah Johnson said'],
    ['&#91;PERSON_1&#93; &lbrack;ORG_1&rbrack; &#x5B;PERSON_2&#x5D;', 'Sarah Johnson Acme Capital Mark Lee'],
    ['\\[PERSON\\_1\\] and \\[BTC\\_ADDR\\_1\\]', `Sarah Johnson and ${MAP['[BTC_ADDR_1]']}`],
    ['{"to": "\\u005bEMAIL_1\\u005d"}', '{"to": "sj@acme.example"}'],
    ['[btc addr 1]', MAP['[BTC_ADDR_1]']],
  ])('%s', (input, output) => {
    expect(rehydrate(input, lookup).text).toBe(output)
  })

  it.each([
    'the person 1 we met',
    'Person_1 wrote',
    'XPERSON_1 and PERSON_1x and PERSON_1_2',
    'SHA-256, COVID-19 and ISO 8601',
    '［PERSON_1］ and ［ PERSON_1 ］ were in the input',
    '\\PERSON_1',
  ])('leaves %s as it is', (input) => {
    expect(rehydrate(input, lookup)).toEqual({ text: input, restored: 0, unknown: [] })
  })

  it('never restores what the scrubber neutralised', () => {
    const input = 'a literal [PERSON_1] typed by the user'
    expect(rehydrate(neutralise(input), lookup).text).toBe(neutralise(input))
  })

  it('reports hallucinated tokens as unknown and leaves them, restoring the rest', () => {
    const out = rehydrate('[PERSON_99] met [PERSON_1]; [ORG_7] and [ORG_7]; (PERSON_98)', lookup)
    expect(out.text).toBe('[PERSON_99] met Sarah Johnson; [ORG_7] and [ORG_7]; (PERSON_98)')
    expect(out.restored).toBe(1)
    expect(out.unknown.sort()).toEqual(['[ORG_7]', '[PERSON_99]'])
  })

  it('asks the map once, only for tokens the text holds', () => {
    const spy = mapLookup(MAP)
    rehydrate('[PERSON_1], (ORG_1) and [PERSON_5]', spy)
    expect(spy.asked.sort()).toEqual(['[ORG_1]', '[PERSON_1]', '[PERSON_5]'])
  })

  it('JSON-escapes restored values in JSON-string mode', () => {
    const tricky = mapLookup({ '[PERSON_1]': 'O"Brien \\ Co\n\t\u0001' })
    const out = rehydrate('name: [PERSON_1]!', tricky, { json: true })
    expect(JSON.parse(`"${out.text}"`)).toBe('name: O"Brien \\ Co\n\t\u0001!')
  })
})

describe('rehydrate: two maps never exchange values', () => {
  it('a token of map A is unknown to map B, and a shared token gives each map its own value', () => {
    const a = mapLookup({ '[PERSON_1]': 'Alice A', '[PERSON_3]': 'Carol A' })
    const b = mapLookup({ '[PERSON_1]': 'Bob B' })
    const text = 'From [PERSON_1] to [PERSON_3].'
    expect(rehydrate(text, a).text).toBe('From Alice A to Carol A.')
    const withB = rehydrate(text, b)
    expect(withB.text).toBe('From Bob B to [PERSON_3].')
    expect(withB.unknown).toEqual(['[PERSON_3]'])
    expect(withB.text).not.toMatch(/Alice|Carol/)
  })
})

/** A stand-in scrubber: every listed value becomes its token (a map kept per test). */
function fakeScrub(
  text: string,
  values: Record<string, string>,
): { scrubbed: string; map: Record<string, string> } {
  const map: Record<string, string> = {}
  const counters: Record<string, number> = {}
  let scrubbed = text
  for (const [value, type] of Object.entries(values).sort((x, y) => y[0].length - x[0].length)) {
    if (!scrubbed.includes(value)) continue
    counters[type] = (counters[type] ?? 0) + 1
    const token = `[${type}_${counters[type]}]`
    map[token] = value
    scrubbed = scrubbed.split(value).join(token)
  }
  return { scrubbed, map }
}

const ENTITIES: Record<string, string> = {
  'Sarah Johnson': 'PERSON',
  'Mark Lee': 'PERSON',
  'Zoë Ng': 'PERSON',
  'Acme Capital': 'ORG',
  'sj@acme.example': 'EMAIL',
  bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq: 'BTC_ADDR',
  '$2.5m': 'AMOUNT',
}
const FILLER = [
  'the',
  'NOTE:',
  'SHA-256',
  '(',
  ')',
  '[',
  ']',
  '\\',
  '&',
  '{',
  '}',
  '_',
  '-',
  '42',
  'x',
  '\n',
  '"',
  'CALL',
  'ID-7',
]

function randomText(random: () => number, words: number): string {
  const pool = [...Object.keys(ENTITIES), ...FILLER]
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(pool[Math.floor(random() * pool.length)]!)
  const joiners = ['', ' ', ' ', ', ', '. ']
  return out.reduce((acc, w) => acc + joiners[Math.floor(random() * joiners.length)] + w, '')
}

describe('rehydrate: round trip', () => {
  it('rehydrate(scrub(x)) == x for random texts', () => {
    const random = seededRandom(19)
    let restored = 0
    for (let n = 0; n < 400; n++) {
      const x = randomText(random, 5 + Math.floor(random() * 30))
      const { scrubbed, map } = fakeScrub(x, ENTITIES)
      const out = rehydrate(scrubbed, mapLookup(map))
      expect(out.text, JSON.stringify({ x, scrubbed })).toBe(x)
      restored += out.restored
    }
    expect(restored).toBeGreaterThan(1000)
  })
})
