/** How a transcript writes what was said: digits spelled out, mail addresses read aloud, seed words numbered. */
import type { Dice } from './random.ts'

const DIGIT_WORDS = 'zero one two three four five six seven eight nine'.split(' ')

/** "415-555-0134" → "four one five, five five five, zero one three four" (groups kept, separators said as pauses). */
export function spellDigits(written: string): string {
  return written
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map((group) => [...group].map((d) => DIGIT_WORDS[Number(d)]).join(' '))
    .join(', ')
}

export function spokenEmail(address: string): string {
  const [local, domain] = address.split('@') as [string, string]
  const say = (part: string) =>
    part.replace(/\./g, ' dot ').replace(/_/g, ' underscore ').replace(/\+/g, ' plus ')
  return `${say(local)} at ${say(domain)}`
}

export function spokenSeed(dice: Dice, phrase: string): string {
  const words = phrase.split(' ')
  if (dice.chance(0.5)) return words.join(', ')
  const ordinal = 'one two three four five six seven eight nine ten eleven twelve'.split(' ')
  return words.map((w, i) => `word ${ordinal[i] ?? i + 1} ${w}`).join(', ')
}
