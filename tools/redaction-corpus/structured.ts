/**
 * Structured PII in the forms people write it: contact details (mail under documentation domains,
 * phones libphonenumber accepts as valid), money, dates, street addresses, long references and
 * documentation IPs.
 */

import type { CountryCode } from 'libphonenumber-js'
import { getExampleNumber, isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js'
import examples from 'libphonenumber-js/examples.mobile.json'
import {
  EU_CITIES,
  EU_STREETS,
  MAIL_DOMAINS,
  STREET_NAMES,
  STREET_SUFFIXES,
  US_CITIES,
} from './pools-world.ts'
import type { Dice } from './random.ts'

/** "Pérez de la Cruz" → "perezdelacruz": what a mailbox or a handle makes of a name. */
export function asciiSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

export function email(dice: Dice, given: string, surname: string): string {
  const local = dice.pick([
    `${asciiSlug(given)}.${asciiSlug(surname)}`,
    `${asciiSlug(given)[0]}${asciiSlug(surname)}`,
    `${asciiSlug(given)}${dice.digits(2)}`,
    `${asciiSlug(given)}+crm`,
  ])
  return `${local}@${dice.pick(MAIL_DOMAINS)}`
}

/** "jane [at] example [dot] com": written so harvesters miss it, and detectors must not. */
export function obfuscated(address: string, dice: Dice): string {
  const [at, dot] = dice.pick([
    [' [at] ', ' [dot] '],
    ['(at)', '.'],
    [' (at) ', ' (dot) '],
  ])
  const [local, domain] = address.split('@') as [string, string]
  return `${local}${at}${domain.replace(/\./g, dot)}`
}

export function url(dice: Dice, slug: string): string {
  return dice.pick([
    `https://www.example.com/clients/${slug}`,
    `https://app.example.net/deals/${dice.digits(6)}`,
    `www.example.org/team/${slug}`,
    `https://calendar.example.com/book/${slug}-${dice.digits(3)}`,
  ])
}

export function handle(dice: Dice, given: string, surname: string): string {
  return dice.pick([`@${asciiSlug(given)}_${asciiSlug(surname)}`, `@${asciiSlug(surname)}${dice.digits(2)}`])
}

const PHONE_REGIONS: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'NG', 'IN', 'BR', 'JP', 'CH', 'GH', 'NL', 'AU']

/** A number libphonenumber calls valid: the region's example with its last digits redrawn. */
export function phone(dice: Dice): string {
  const region = dice.pick(PHONE_REGIONS)
  const example = getExampleNumber(region, examples)!
  for (;;) {
    const national = `${example.nationalNumber.slice(0, -4)}${dice.digits(4)}`
    const parsed = parsePhoneNumberFromString(national, region)
    if (!parsed || !isValidPhoneNumber(national, region)) continue
    const national_ok = ['US', 'GB', 'DE', 'CH'].includes(region) && dice.chance(0.4)
    return national_ok ? parsed.formatNational() : parsed.formatInternational()
  }
}

export function amount(dice: Dice): string {
  const n = dice.int(2, 950)
  return dice.pick([
    () => `$${n},${dice.digits(3)}`,
    () => `$${n / 10}M`,
    () => `USD ${n},000`,
    () => `€${(n / 100).toFixed(1)} million`,
    () => `£${n}k`,
    () => `${n},${dice.digits(3)} EUR`,
    () => `$${n}k–$${n + 50}k`,
    () => `CHF ${n}m`,
    () => `$${(n / 100).toFixed(2)}bn`,
    () => `${dice.pick(['two', 'three', 'five', 'twelve', 'forty'])} million dollars`,
    () => `${n} thousand euros`,
    () => `${dice.int(2, 90)} BTC`,
    () => `${n},000 sats`,
    () => `₿0.${dice.digits(3)}`,
    () => `EUR ${(n / 100).toFixed(1)}m`,
    () => `$${n},${dice.digits(3)},000.00`,
  ])()
}

const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
)

export function date(dice: Dice): string {
  const year = dice.int(2019, 2027)
  const month = dice.int(1, 12)
  const day = dice.int(1, 28)
  const pad = (v: number) => String(v).padStart(2, '0')
  return dice.pick([
    () => `${year}-${pad(month)}-${pad(day)}`,
    () => `${MONTHS[month - 1]} ${day}, ${year}`,
    () => `${day} ${MONTHS[month - 1]} ${year}`,
    () => `${pad(month)}/${pad(day)}/${year}`,
    () => `${day}.${month}.${year}`,
    () => `Q${dice.int(1, 4)} ${year}`,
    () => `${MONTHS[month - 1]} ${year}`,
    () => `the ${dice.pick(['3rd', '14th', '21st', '9th'])} of ${MONTHS[month - 1]}`,
    () => `${MONTHS[month - 1]!.slice(0, 3)}. ${day}, ${year}`,
  ])()
}

export function streetAddress(dice: Dice): string {
  if (dice.chance(0.1)) return `P.O. Box ${dice.int(10, 99999)}, ${dice.pick(EU_CITIES)}`
  if (dice.chance(0.15))
    return `${dice.int(2, 240)} ${dice.pick(STREET_NAMES)} Lane, London ${dice.pick(['SW1A', 'EC2V', 'N1'])} ${dice.int(1, 9)}${dice.letters(2)}`
  if (dice.chance(0.2))
    return `${dice.pick(EU_STREETS)} ${dice.int(1, 120)}, ${dice.int(1000, 9699)} ${dice.pick(EU_CITIES)}`
  const [city, state] = dice.pick(US_CITIES)
  const unit = dice.chance(0.3) ? `, Suite ${dice.int(100, 900)}` : ''
  return `${dice.int(10, 9899)} ${dice.pick(STREET_NAMES)} ${dice.pick(STREET_SUFFIXES)}${unit}, ${city}, ${state} ${dice.digits(5)}`
}

export function digitRun(dice: Dice): string {
  return `${dice.int(1, 9)}${dice.digits(dice.int(8, 12))}`
}

export function documentationIp(dice: Dice): string {
  return `${dice.pick(['203.0.113', '198.51.100', '192.0.2'])}.${dice.int(2, 254)}`
}
