/**
 * rehydrate(scrub(x)) == x for every item without Tier-1 data: mentions that share a token with a
 * differently written value ("Sarah" and "Ms. Johnson" under the token of "Sarah Johnson", a known
 * name in capitals) come back as written, through the real detectors and map store. A sentence a
 * model writes itself gets the token's full value.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { NAMES_CORPUS } from '../detect/names-corpus.test-data.ts'
import type { KnownEntities } from '../detect/types.ts'
import { type RoundTripper, roundTripper } from './round-trip-testing.ts'

let rt: RoundTripper
beforeAll(async () => {
  rt = await roundTripper()
})
afterAll(() => rt.store.close())

const CORPUS_DIR = fileURLToPath(new URL('../../../../tests/fixtures/redaction-corpus/', import.meta.url))

interface CorpusDoc {
  id: string
  text: string
  known_entities?: KnownEntities
  mentions: { class: string }[]
}

/** The leak corpus's documents without labelled Tier-1 data (a dropped Tier-1 span cannot come back). */
function corpusDocs(): CorpusDoc[] {
  return ['dev.jsonl', 'test.jsonl']
    .map((file) => CORPUS_DIR + file)
    .filter((path) => existsSync(path))
    .flatMap((path) => readFileSync(path, 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as CorpusDoc)
    .filter((doc) => !doc.mentions.some((m) => m.class === 'tier1'))
}

const NAMES_LINES = NAMES_CORPUS.map((line) => line.replace(/[{}<>]/g, ''))

const PROPAGATED = [
  'Sarah Johnson called about the Q3 report.',
  'The wire lands on Friday, says Sarah.',
  'Ms. Johnson agreed; SARAH JOHNSON signed.',
  'sarah johnson wrote from sarah.johnson@example.com again.',
  'Johnson, Sarah — see [PERSON_1] in the old note.',
]

describe('round trip', () => {
  it('gives back every item of the names corpus, scrubbed in one call', () => {
    expect(rt.roundTrip(NAMES_LINES)).toEqual(NAMES_LINES)
  })

  it('gives back mentions propagated from a full name, in the item and across items', () => {
    const out = rt.scrub(PROPAGATED)
    const [first, later, title] = out.items.map((i) => i.scrubbedText)
    expect(first).toContain('[PERSON_1]')
    expect(later).toBe('The wire lands on Friday, says [PERSON_1].')
    expect(title).toBe('Ms. [PERSON_1] agreed; [PERSON_1] signed.')
    expect(rt.rehydrate(out.mapHandle, [first!, later!, title!])).toEqual(PROPAGATED.slice(0, 3))
    expect(rt.roundTrip(PROPAGATED)).toEqual(PROPAGATED)
  })

  it('gives back a known name written otherwise than in known_entities', () => {
    const texts = [
      'JOSE GARCIA joined.',
      'Then José García left (jose garcia, per the notes).',
      'Call Jose Garcia.',
    ]
    const out = rt.scrub(texts, { known: { persons: ['José García'] } })
    expect(out.items.map((i) => i.scrubbedText)).toEqual([
      '[PERSON_1] joined.',
      'Then [PERSON_1] left ([PERSON_1], per the notes).',
      'Call [PERSON_1].',
    ])
    expect(
      rt.rehydrate(
        out.mapHandle,
        out.items.map((i) => i.scrubbedText),
      ),
    ).toEqual(texts)
  })

  it('gives back items that scrub to the same text: a name alone beside its first name alone', () => {
    const texts = ['Sarah Johnson', 'Sarah', 'SARAH JOHNSON', 'Sarah']
    const out = rt.scrub(texts, { known: { persons: ['Sarah Johnson'] } })
    expect(out.items.map((i) => i.scrubbedText)).toEqual([
      '[PERSON_1]',
      '[PERSON_1]',
      '[PERSON_1]',
      '[PERSON_1]',
    ])
    expect(
      rt.rehydrate(
        out.mapHandle,
        out.items.map((i) => i.scrubbedText),
      ),
    ).toEqual(texts)
    // Sent alone, an item is numbered from the start: the first recorded spelling, or the value.
    expect(rt.rehydrate(out.mapHandle, ['[PERSON_1]'])).toEqual(['Sarah Johnson'])
  })

  it('gives back a line repeated with the name spelled differently each time', () => {
    const text =
      'hi Sarah Johnson ok. hi sarah ok. hi SARAH ok. hi Sarah ok. hi Ms. Johnson ok. hi sarah johnson ok.'
    const out = rt.scrub([text], { known: { persons: ['Sarah Johnson'] } })
    expect(out.items[0]!.scrubbedText).toBe(
      'hi [PERSON_1] ok. hi [PERSON_1] ok. hi [PERSON_1] ok. hi [PERSON_1] ok. hi Ms. [PERSON_1] ok. hi [PERSON_1] ok.',
    )
    expect(rt.rehydrate(out.mapHandle, [out.items[0]!.scrubbedText])).toEqual([text])
  })

  it('writes the full value where a model wrote the placeholder in a sentence of its own', () => {
    const out = rt.scrub(['Sarah Johnson called.', 'Sarah will call back.'])
    const [reply] = rt.rehydrate(out.mapHandle, ['Please tell [PERSON_1] that the deck is ready.'])
    expect(reply).toBe('Please tell Sarah Johnson that the deck is ready.')
    // A tolerant form is the model's own writing too: the value, never a surface.
    expect(rt.rehydrate(out.mapHandle, ['[person_1] will call back.'])).toEqual([
      'Sarah Johnson will call back.',
    ])
    // A quoted passage keeps its context (16 characters each side), and so its surface.
    const long = rt.scrub(['We met Sarah Johnson at the fund. Later that day Sarah will call back about it.'])
    const scrubbed = long.items[0]!.scrubbedText
    expect(scrubbed).toBe('We met [PERSON_1] at the fund. Later that day [PERSON_1] will call back about it.')
    const at = scrubbed.lastIndexOf('[PERSON_1]')
    const quoted = `She wrote: "${scrubbed.slice(at - 16, at + 10 + 16)}", OK?`
    expect(rt.rehydrate(long.mapHandle, [quoted])).toEqual([quoted.replace('[PERSON_1]', 'Sarah')])
    // One character fewer on a side is another context: the full value.
    const cut = `"${scrubbed.slice(at - 15, at + 10 + 16)}"`
    expect(rt.rehydrate(long.mapHandle, [cut])).toEqual([cut.replace('[PERSON_1]', 'Sarah Johnson')])
  })

  it('gives back a mention whose full name came in an earlier call on the same map', () => {
    const first = rt.scrub(['Meeting with Priya Raman and Kwame Mensah.'])
    const texts = ['Yes from priya.', 'Priya, and Mr. Mensah, agreed.']
    const second = rt.scrub(texts, { mapHandle: first.mapHandle })
    const tokens = first.items[0]!.tokensUsed
    expect(second.items[1]!.scrubbedText).toBe(`${tokens[0]}, and Mr. ${tokens[1]}, agreed.`)
    expect(
      rt.rehydrate(
        first.mapHandle,
        second.items.map((i) => i.scrubbedText),
      ),
    ).toEqual(texts)
  })

  it('does not propagate a first name two people of one call share, even in different items', () => {
    const texts = ['Sarah Johnson called.', 'Sarah Lee wrote.', 'Ask Sarah, then Ms. Lee.']
    const out = rt.scrub(texts, { known: { persons: ['Sarah Johnson', 'Sarah Lee'] } })
    expect(out.items[0]!.scrubbedText).toBe('[PERSON_1] called.')
    expect(out.items[1]!.scrubbedText).toBe('[PERSON_2] wrote.')
    expect(out.items[2]!.scrubbedText).not.toContain('[PERSON_1]')
    expect(out.items[2]!.scrubbedText).toMatch(/Ms\. \[PERSON_2\]\.$/)
    expect(
      rt.rehydrate(
        out.mapHandle,
        out.items.map((i) => i.scrubbedText),
      ),
    ).toEqual(texts)
  })

  it('gives back every document of the leak corpus without Tier-1 data', () => {
    let checked = 0
    for (const doc of corpusDocs()) {
      const out = rt.scrub([doc.text], { known: doc.known_entities })
      // Spoken seed phrases are Tier-1 too, labelled as crypto by the corpus.
      if (out.tier1Dropped > 0) continue
      const [back] = rt.rehydrate(out.mapHandle, [out.items[0]!.scrubbedText])
      expect(back, doc.id).toBe(doc.text)
      checked++
    }
    // The corpus is optional here (it has its own gates); when present, a good part of it is checked
    // (114 of its 340 documents have no Tier-1 data when this was written).
    if (existsSync(`${CORPUS_DIR}dev.jsonl`)) expect(checked).toBeGreaterThanOrEqual(50)
  })
})

describe('round trip over seeded random notes', () => {
  const PEOPLE = [
    'Sarah Johnson',
    'Mark Lee',
    'Zoë Müller',
    'Kwame Mensah',
    'Ana Beatriz Souza',
    'Jean-Luc Moreau',
  ]
  const OTHERS = [
    'jane.doe@example.com',
    '+1 415 555 0134',
    '$2.5m',
    'March 12, 2026',
    'https://bluefin.example/deck',
    'Acme Capital LLC',
    'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    '203.0.113.24',
    '[PERSON_1]',
    '[ org-2 ]',
  ]
  const WORDS = [
    'called',
    'about',
    'the',
    'fund',
    'and',
    'said',
    'yes',
    'on',
    'Monday',
    'with',
    'wire',
    'deck',
  ]
  const JOIN = [' ', ' ', ', ', '. ', '\n', ' — ', ': ', ' (', ') ']

  type Random = () => number
  const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

  /** A person written the ways notes write people: in full, first name, title + surname, in capitals. */
  function mention(random: Random, person: string): string {
    const parts = person.split(' ')
    switch (Math.floor(random() * 6)) {
      case 0:
        return parts[0]!
      case 1:
        return `${pick(random, ['Mr.', 'Ms.', 'Dr.'])} ${parts.at(-1)}`
      case 2:
        return person.toUpperCase()
      case 3:
        return parts.at(-1)!
      default:
        return person
    }
  }

  function note(random: Random, people: string[]): string {
    const pieces: string[] = []
    // The full name first, so later short mentions have someone to belong to.
    pieces.push(people[0]!)
    for (let n = 0; n < 4 + Math.floor(random() * 10); n++) {
      const roll = random()
      if (roll < 0.3) pieces.push(mention(random, pick(random, people)))
      else if (roll < 0.45) pieces.push(pick(random, OTHERS))
      else pieces.push(pick(random, WORDS))
    }
    return pieces.map((p, i) => (i === 0 ? p : pick(random, JOIN) + p)).join('')
  }

  it('gives back every item of 150 seeded calls, some extending the map of the one before', () => {
    const random = seededRandom(2026)
    let previous: string | undefined
    for (let call = 0; call < 150; call++) {
      const people = PEOPLE.filter(() => random() < 0.5)
      if (people.length === 0) people.push(pick(random, PEOPLE))
      const texts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => note(random, people))
      const mapHandle = previous && random() < 0.4 ? previous : undefined
      const out = rt.scrub(texts, { mapHandle })
      const back = rt.rehydrate(
        out.mapHandle,
        out.items.map((i) => i.scrubbedText),
      )
      expect(back, JSON.stringify({ call, texts })).toEqual(texts)
      previous = out.mapHandle
    }
  })
})
