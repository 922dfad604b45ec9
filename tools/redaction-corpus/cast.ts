/**
 * The people, organisation, fund and place a document is about, and how each is mentioned: a full
 * name first, later the first name alone or title + surname, in transcripts lower case. A share of
 * them is also given in the request's `known_entities`, and every mention of those is flagged `known`.
 */
import type { DocBuilder, KnownEntitiesWire } from './builder.ts'
import { NAME_POOLS, TITLES } from './pools-people.ts'
import { FUND_ROOTS, FUND_SUFFIXES, LOCATIONS, ORG_ROOTS, ORG_SUFFIXES } from './pools-world.ts'
import type { Dice } from './random.ts'

export interface Person {
  given: string
  surname: string
  /** As first written: "Adaeze Okonkwo", or surname first for some East Asian names ("Zhang Wei"). */
  full: string
  origin: string
  title: string
  known: boolean
  /** Its given name or surname never appears in the tuning corpus. */
  unseen: boolean
}

export interface Named {
  name: string
  known: boolean
}

export interface Cast {
  people: Person[]
  org: Named
  fund: Named
  location: Named
  /** Lower-case names, as speech recognition writes them. */
  spoken: boolean
  /** The gate's corpus: half of the framings around names are ones the tuning corpus never uses. */
  heldOut: boolean
}

/**
 * The words around a name: in the tuning corpus always `seen`; in the gate's corpus one of `unseen`
 * half of the time, so a rule that learnt dev.jsonl's phrasing ("hi, this is …") cannot pass the
 * gate by that alone. Dev draws no dice here, so it stays the same whatever is added to `unseen`.
 */
export function framing<T>(cast: Cast, dice: Dice, seen: T, unseen: readonly T[]): T {
  if (!cast.heldOut || dice.chance(0.5)) return seen
  return dice.pick(unseen)
}

/** Every third name of each list appears only in the gate's corpus, never in the tuning one. */
const heldOutName = (names: readonly string[], name: string) => names.indexOf(name) % 3 === 2

function person(dice: Dice, knownShare: number, heldOut: boolean): Person {
  const pool = dice.pick(NAME_POOLS)
  const pick = (names: string[]) => dice.pick(heldOut ? names : names.filter((n) => !heldOutName(names, n)))
  const given = pick(pool.given)
  const surname = pick(pool.surnames)
  const full = pool.surnameFirst && dice.chance(0.5) ? `${surname} ${given}` : `${given} ${surname}`
  return {
    given,
    surname,
    full,
    origin: pool.origin,
    title: dice.pick(TITLES),
    known: dice.chance(knownShare),
    unseen: heldOutName(pool.given, given) || heldOutName(pool.surnames, surname),
  }
}

export function castFor(dice: Dice, spoken: boolean, heldOut: boolean): Cast {
  const count = dice.int(1, 3)
  const people: Person[] = []
  while (people.length < count) {
    const p = person(dice, 0.3, heldOut)
    // Two people sharing a first name or surname make "Sarah" ambiguous; the corpus keeps them apart.
    if (!people.some((q) => q.given === p.given || q.surname === p.surname)) people.push(p)
  }
  return {
    people,
    org: { name: `${dice.pick(ORG_ROOTS)} ${dice.pick(ORG_SUFFIXES)}`, known: dice.chance(0.25) },
    fund: { name: `${dice.pick(FUND_ROOTS)} ${dice.pick(FUND_SUFFIXES)}`, known: dice.chance(0.25) },
    location: { name: dice.pick(LOCATIONS), known: dice.chance(0.1) },
    spoken,
    heldOut,
  }
}

export function knownEntities(cast: Cast): KnownEntitiesWire {
  const known: KnownEntitiesWire = {}
  const persons = cast.people.filter((p) => p.known).map((p) => p.full)
  if (persons.length > 0) known.persons = persons
  if (cast.org.known) known.orgs = [cast.org.name]
  if (cast.fund.known) known.funds = [cast.fund.name]
  if (cast.location.known) known.locations = [cast.location.name]
  return known
}

export const flags = (p: { known: boolean; unseen?: boolean }) => ({
  ...(p.known ? { known: true as const } : {}),
  ...(p.unseen ? { unseen: true as const } : {}),
})
const lower = (cast: Cast, s: string) => (cast.spoken ? s.toLowerCase() : s)

export function fullName(b: DocBuilder, cast: Cast, p: Person): DocBuilder {
  const form = cast.spoken ? 'lower' : 'full'
  return b.mention('names', 'person', lower(cast, p.full), { ...flags(p), form, origin: p.origin })
}

/** A later mention: the first name alone, or a title and the surname (the title is not the person). */
export function laterName(b: DocBuilder, cast: Cast, p: Person, dice: Dice): DocBuilder {
  if (dice.chance(0.5)) {
    const form = cast.spoken ? 'lower_first' : 'first'
    return b.mention('names', 'person', lower(cast, p.given), { ...flags(p), form, origin: p.origin })
  }
  b.add(`${cast.spoken ? p.title.toLowerCase() : p.title} `)
  return b.mention('names', 'person', lower(cast, p.surname), {
    ...flags(p),
    form: 'title_surname',
    origin: p.origin,
  })
}

export function orgName(b: DocBuilder, cast: Cast, which: 'org' | 'fund' | 'location'): DocBuilder {
  const named = cast[which]
  const type = which === 'location' ? 'location' : which
  return b.mention('names', type, named.name, flags(named))
}
