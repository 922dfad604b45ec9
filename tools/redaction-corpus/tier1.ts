/**
 * Tier-1 material with the check digits real ones carry (ABA routing, IBAN mod-97, Luhn, SSA rules)
 * and secrets in the shapes of common providers. Every secret is visibly fake: it contains EXAMPLE
 * where its format allows, so no scanner and no reader takes it for a live credential.
 */
import { base64, base64urlnopad, utf8 } from '@scure/base'
import type { Dice } from './random.ts'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export function accountNumber(dice: Dice): string {
  if (dice.chance(0.2)) return `${dice.digits(4)}-${dice.digits(6)}`
  return `${dice.int(1, 9)}${dice.digits(dice.int(7, 11))}`
}

export function abaRouting(dice: Dice): string {
  const d = [
    ...`${dice.pick(['01', '02', '03', '04', '05', '06', '07', '08', '09', '11', '12', '21', '26', '31'])}${dice.digits(6)}`,
  ].map(Number)
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]!)
  return `${d.join('')}${(10 - (sum % 10)) % 10}`
}

export function wireReference(dice: Dice): string {
  return dice.chance(0.5)
    ? `${dice.int(2023, 2026)}${dice.digits(4)}${dice.letters(4)}${dice.letters(2, UPPER_DIGITS)}${dice.digits(6)}`
    : `${dice.int(1, 9)}${dice.digits(10)}`
}

export function ssn(dice: Dice, separator: string): string {
  let area = dice.int(1, 899)
  if (area === 666) area = 667
  const parts = [
    String(area).padStart(3, '0'),
    String(dice.int(1, 99)).padStart(2, '0'),
    String(dice.int(1, 9999)).padStart(4, '0'),
  ]
  return parts.join(separator)
}

export function passport(dice: Dice): string {
  return dice.pick([
    () => dice.digits(9),
    () => `${dice.letters(1)}${dice.digits(8)}`,
    () => `${dice.letters(2)}${dice.digits(7)}`,
  ])()
}

export function governmentId(dice: Dice): string {
  return dice.pick([
    () => `${dice.letters(1)}${dice.digits(7)}`,
    () => `${dice.digits(2)}-${dice.digits(7)}`,
    () => dice.digits(10),
  ])()
}

/** Country, BBAN layout (n = digits, a = upper letters, c = either) as the ISO registry gives them. */
const IBAN_FORMATS: [string, string][] = [
  ['DE', 'n18'],
  ['GB', 'a4n14'],
  ['FR', 'n23'],
  ['NL', 'a4n10'],
  ['CH', 'n17'],
  ['ES', 'n20'],
  ['IT', 'a1n22'],
  ['BE', 'n12'],
  ['PT', 'n21'],
]

function bban(dice: Dice, layout: string): string {
  return [...layout.matchAll(/([anc])(\d+)/g)]
    .map(([, kind, n]) =>
      kind === 'n'
        ? dice.digits(Number(n))
        : dice.letters(Number(n), kind === 'a' ? undefined : UPPER_DIGITS),
    )
    .join('')
}

function mod97(digits: string): number {
  let remainder = 0
  for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97
  return remainder
}

export function iban(dice: Dice, spaced: boolean): string {
  const [country, layout] = dice.pick(IBAN_FORMATS)
  const body = bban(dice, layout)
  const numeric = [...`${body}${country}00`]
    .map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c))
    .join('')
  const compact = `${country}${String(98 - mod97(numeric)).padStart(2, '0')}${body}`
  return spaced ? compact.replace(/(.{4})(?=.)/g, '$1 ') : compact
}

export function swift(dice: Dice): string {
  const branch = dice.chance(0.4) ? dice.pick(['XXX', dice.digits(3)]) : ''
  return `${dice.letters(4)}${dice.pick(['DE', 'GB', 'CH', 'NL', 'FR', 'US', 'SG', 'LU'])}${dice.letters(1)}${dice.letters(1, UPPER_DIGITS)}${branch}`
}

function luhnComplete(partial: string): string {
  let sum = 0
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i])
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return `${partial}${(10 - (sum % 10)) % 10}`
}

export function cardNumber(dice: Dice, separator: string): string {
  const [prefix, length] = dice.pick([
    ['4', 16],
    [`5${dice.int(1, 5)}`, 16],
    [dice.pick(['34', '37']), 15],
    ['6011', 16],
  ] as const)
  const digits = luhnComplete(`${prefix}${dice.digits(length - prefix.length - 1)}`)
  const groups = length === 15 ? [4, 6, 5] : [4, 4, 4, 4]
  const starts = groups.map((_, i) => groups.slice(0, i).reduce((a, b) => a + b, 0))
  return groups.map((n, i) => digits.slice(starts[i], starts[i]! + n)).join(separator)
}

/** `n` random characters with EXAMPLE somewhere inside. */
function fake(dice: Dice, n: number, alphabet = ALNUM): string {
  const at = dice.int(0, n - 7)
  return `${dice.letters(at, alphabet)}EXAMPLE${dice.letters(n - 7 - at, alphabet)}`
}

export const SECRET_SHAPES: Record<string, (dice: Dice) => string> = {
  openai: (dice) => `sk-proj-${fake(dice, 40)}`,
  stripe: (dice) => `sk_test_${fake(dice, 24)}`,
  github: (dice) => `ghp_${fake(dice, 36)}`,
  slack: (dice) => `xoxb-${dice.digits(11)}-${dice.digits(12)}-${fake(dice, 24)}`,
  aws: (dice) => `AKIA${fake(dice, 16, UPPER_DIGITS)}`,
  google: (dice) => `AIza${fake(dice, 35)}`,
  huggingface: (dice) => `hf_${fake(dice, 34)}`,
  gitlab: (dice) => `glpat-${fake(dice, 20)}`,
  jwt: (dice) => {
    const header = base64urlnopad.encode(utf8.decode('{"alg":"HS256","typ":"JWT"}'))
    const claims = base64urlnopad.encode(utf8.decode(`{"sub":"example-user-${dice.digits(4)}"}`))
    return `${header}.${claims}.${base64urlnopad.encode(dice.bytes(32))}`
  },
}

/** A config secret with no provider prefix: only its label says what it is. */
export function genericSecret(dice: Dice): string {
  return fake(dice, dice.int(24, 40), `${ALNUM}/+`)
}

export function pemBlock(dice: Dice): string {
  const label = dice.pick(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY'])
  const body = base64.encode(dice.bytes(dice.int(48, 96)))
  const lines = `EXAMPLEKEY${body}`.match(/.{1,64}/g)!
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`
}

export function password(dice: Dice): string {
  return `${dice.letters(3, ALNUM)}-EXAMPLE-${dice.letters(4, ALNUM)}!`
}
