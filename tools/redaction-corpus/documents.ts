/**
 * The four kinds of document the gateway is sent: meeting transcripts, CRM notes, emails (headers
 * and a signature) and chat turns. Each opens by naming everyone in full, so later first-name and
 * title + surname mentions refer back to someone, then adds a handful of facts.
 */
import { type CorpusDoc, DocBuilder } from './builder.ts'
import { type Cast, castFor, flags, framing, fullName, knownEntities, laterName, orgName } from './cast.ts'
import { SPOKEN_FACTS } from './facts-spoken.ts'
import { type Fact, WRITTEN_FACTS } from './facts-written.ts'
import type { Dice } from './random.ts'
import { email, phone } from './structured.ts'

type Kind = CorpusDoc['kind']

function facts(dice: Dice, pool: Fact[], n: number): Fact[] {
  return Array.from({ length: n }, () => dice.pick(pool))
}

function clock(dice: Dice, minute: number): string {
  return `[00:${String(minute).padStart(2, '0')}:${String(dice.int(0, 59)).padStart(2, '0')}]`
}

const UNSEEN_INTROS: (readonly [string, string, string])[] = [
  ['good morning, ', ' here, i run ', '.\n'],
  ['yeah it is ', ' with ', ' on the line.\n'],
  ['okay so ', ' speaking, calling for ', '.\n'],
]

function transcript(b: DocBuilder, cast: Cast, dice: Dice) {
  cast.people.forEach((p, i) => {
    const [intro, from, end] = framing(cast, dice, ['hi, this is ', ' from ', '.\n'] as const, UNSEEN_INTROS)
    b.add(`${clock(dice, i)} speaker ${i + 1}: ${intro}`)
    fullName(b, cast, p).add(from)
    orgName(b, cast, 'org').add(end)
  })
  const spoken = [...SPOKEN_FACTS, ...SPOKEN_FACTS, ...WRITTEN_FACTS.slice(0, 3)]
  facts(dice, spoken, dice.int(2, 3)).forEach((fact, i) => {
    b.add(`${clock(dice, cast.people.length + i)} speaker ${dice.int(1, cast.people.length)}: `)
    fact(b, cast, dice)
    b.add('\n')
  })
}

function crm(b: DocBuilder, cast: Cast, dice: Dice) {
  for (const p of cast.people) {
    b.add(framing(cast, dice, 'Contact: ', ['Primary contact — ', 'Relationship: ', 'Client — ']))
    fullName(b, cast, p).add('\n')
  }
  b.add(framing(cast, dice, 'Account: ', ['Firm: ', 'Entity — ']))
  orgName(b, cast, 'org').add('\nNotes: ')
  for (const fact of facts(dice, WRITTEN_FACTS, dice.int(2, 3))) fact(b, cast, dice)
  b.add('\n')
}

function mail(b: DocBuilder, cast: Cast, dice: Dice) {
  const [from, to] = [cast.people[0]!, cast.people[1]]
  b.add('From: ')
  fullName(b, cast, from)
    .add(' <')
    .mention('structured', 'email', email(dice, from.given, from.surname))
    .add('>\n')
  if (to) {
    b.add('To: ')
    fullName(b, cast, to)
      .add(' <')
      .mention('structured', 'email', email(dice, to.given, to.surname))
      .add('>\n')
  } else b.add('To: Operations\n')
  b.add('Subject: Re: next steps with ')
  orgName(b, cast, 'org').add('\n\n')
  if (to) laterName(b.add('Hi '), cast, to, dice).add(',\n\n')
  else b.add('Hi team,\n\n')
  for (const fact of facts(dice, WRITTEN_FACTS, dice.int(1, 3))) fact(b, cast, dice)
  b.add('\n\nBest regards,\n')
  const role = framing(cast, dice, '\nManaging Director, ', [
    '\nHead of Partnerships | ',
    '\nChief Investment Officer at ',
    '\nPrincipal — ',
  ])
  fullName(b, cast, from).add(role)
  orgName(b, cast, 'org').add('\nMobile: ').mention('structured', 'phone', phone(dice)).add('\n')
}

function chat(b: DocBuilder, cast: Cast, dice: Dice) {
  b.add(framing(cast, dice, 'Chat with ', ['Participants: ', 'Thread between ']))
  cast.people.forEach((p, i) => {
    fullName(b, cast, p).add(i === cast.people.length - 1 ? '\n' : ', ')
  })
  for (const fact of facts(dice, WRITTEN_FACTS, dice.int(2, 3))) {
    const speaker = dice.pick(cast.people)
    b.add(`[${dice.int(9, 17)}:${String(dice.int(0, 59)).padStart(2, '0')}] `)
    if (dice.chance(0.3)) b.add('advisor: ')
    else
      b.mention('names', 'person', speaker.given, {
        ...flags(speaker),
        form: 'first',
        origin: speaker.origin,
      }).add(': ')
    fact(b, cast, dice)
    b.add('\n')
  }
}

const WRITERS: Record<Kind, (b: DocBuilder, cast: Cast, dice: Dice) => void> = {
  transcript,
  crm,
  email: mail,
  chat,
}

export function document(dice: Dice, id: string, heldOut: boolean): CorpusDoc {
  const kind = dice.pick(['transcript', 'crm', 'email', 'chat'] as const)
  const cast = castFor(dice, kind === 'transcript', heldOut)
  const b = new DocBuilder()
  WRITERS[kind](b, cast, dice)
  return b.build(id, kind, knownEntities(cast))
}
