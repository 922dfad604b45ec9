/**
 * The bench's input: a seeded meeting transcript of about N words, as speech-to-text leaves it —
 * turns with timestamps, some sentences in lower case (names too), people of many origins named
 * in full and later by first name or title + surname, organisations, funds, places, amounts,
 * emails, phones, dates, spelled digits and bitcoin material (valid checksums, built here from
 * seeded bytes), between ordinary talk and public terms that must stay (Bitcoin, Coinbase,
 * Monday). Its own name lists, apart from the detectors' gazetteers: the bench measures speed,
 * and the transcript should not be shaped by what the detectors know.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { bech32, bech32m, createBase58check, hex } from '@scure/base'
import { seededRandom } from '../shared/random.ts'

const PEOPLE = [
  'Sarah Whitaker',
  'María José Fernández Ruiz',
  'João Carvalho',
  'Giulia De Luca',
  'Pieter van der Berg',
  "Siobhan O'Brien",
  'Khalid Al-Rashid',
  'Zhang Wei',
  'Haruto Watanabe',
  'Kim Min-jun',
  'Ananya Krishnan',
  'Chukwuemeka Okonkwo',
  'Kwabena Asante',
  'Dmitri Sokolov',
  'Astrid Johansson',
  'Emily Hart-Davies',
  'Tobias Lindgren',
  'Fernanda Oliveira',
  'Rohan Desai',
  'Adaeze Nwosu',
]
/** The people a CRM would already know: sent as `known_entities`, as the CRM does. */
export const KNOWN_PERSONS = PEOPLE.slice(0, 5)
const ORGS = ['Northgate Capital', 'Bluefin Partners LLC', 'Orchard Lane Advisors', 'Kestrel Holdings']
const FUNDS = ['Halcyon Growth Fund II', 'Redstone Opportunity Fund']
const PLACES = ['Lisbon', 'Rotterdam', 'Accra', 'Osaka', 'Denver']
const TITLES = ['Mr.', 'Ms.', 'Dr.']
const PUBLIC = ['Bitcoin', 'Coinbase', 'the Federal Reserve', 'the Lightning Network', 'Monday', 'March']
const FILLER = [
  'so the main thing is the custody setup and how long withdrawals take',
  'I think we should look at the fee schedule again before the next close',
  'yeah that makes sense to me, we can revisit it after the audit',
  'the board wants a clearer answer on cold storage and key ceremonies',
  'honestly the volatility last quarter scared a few of the smaller investors',
  'we need the signed documents back before anything moves',
  'okay, let me share my screen and walk through the numbers',
  'right, and the reporting has to be monthly, not quarterly',
]
const AMOUNTS = ['$2.5 million', '€40k', '1.2 BTC', '250,000 dollars', 'USD 75,000', '£1.5m', '0.35 bitcoin']
const DATES = ['March 3rd', '2026-04-12', 'the 14th of May', '12/09/2026', 'Q3 2026']
const PHONES = ['+44 20 7946 0958', '+1 202 555 0147', '+49 30 901820']
const SPOKEN_DIGITS = 'four one five two two nine three zero one eight'

type Rand = () => number

const b58check = createBase58check(sha256)

function bytes(rand: Rand, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256))
}

/** A bitcoin address, descriptor-free: P2PKH, P2SH, P2WPKH or taproot, with a valid checksum. */
function btcAddress(rand: Rand): string {
  const kind = Math.floor(rand() * 4)
  if (kind === 0) return b58check.encode(Uint8Array.of(0x00, ...bytes(rand, 20)))
  if (kind === 1) return b58check.encode(Uint8Array.of(0x05, ...bytes(rand, 20)))
  if (kind === 2) return bech32.encode('bc', [0, ...bech32.toWords(bytes(rand, 20))])
  return bech32m.encode('bc', [1, ...bech32m.toWords(bytes(rand, 32))])
}

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!

const surname = (name: string) => name.split(' ').slice(1).join(' ')
const first = (name: string) => name.split(' ')[0]!
const email = (name: string) =>
  `${first(name)
    .normalize('NFD')
    .replace(/[^a-z]/gi, '')
    .toLowerCase()}@example.com`

/** One sentence of the given kind; `met` are the people already introduced (later mentions). */
function sentence(rand: Rand, met: string[]): string {
  const person = pick(rand, PEOPLE)
  const known = met.length ? pick(rand, met) : person
  const lower = rand() < 0.25
  const name = lower ? person.toLowerCase() : person
  const forms: (() => string)[] = [
    () => `we had a call with ${name} from ${pick(rand, ORGS)} about ${pick(rand, PUBLIC)}`,
    () => `${first(known)} said the wire of ${pick(rand, AMOUNTS)} lands on ${pick(rand, DATES)}`,
    () => `${pick(rand, TITLES)} ${surname(known)} wants the deck sent to ${email(known)}`,
    () => `${name} is flying in from ${pick(rand, PLACES)} next week`,
    () => `they are putting ${pick(rand, AMOUNTS)} into ${pick(rand, FUNDS)} before ${pick(rand, DATES)}`,
    () => `send it to ${btcAddress(rand)} and confirm the txid ${hex.encode(bytes(rand, 32))}`,
    () => `you can reach ${first(known)} on ${pick(rand, PHONES)} after ${pick(rand, PUBLIC)}`,
    () => `the reference number is ${SPOKEN_DIGITS}, I read it off the letter`,
    () => pick(rand, FILLER),
    () => pick(rand, FILLER),
    () => pick(rand, FILLER),
  ]
  if (!met.includes(person)) met.push(person)
  return pick(rand, forms)()
}

function timestamp(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `[${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}]`
}

export function transcript(words: number, seed = 10): string {
  const rand = seededRandom(seed)
  const met: string[] = []
  const lines: string[] = []
  let count = 0
  let seconds = 0
  while (count < words) {
    const turn = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => sentence(rand, met))
    const text = turn.map((s) => (rand() < 0.5 ? s[0]!.toUpperCase() + s.slice(1) : s)).join('. ')
    const line = `${timestamp(seconds)} Speaker ${1 + Math.floor(rand() * 4)}: ${text}.`
    lines.push(line)
    count += line.split(/\s+/).length
    seconds += 5 + Math.floor(rand() * 20)
  }
  return lines.join('\n')
}

export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length
