import { isAllowedKey } from './allow-list.ts'
import { FIRST_NAMES } from './names-first.ts'
import { PARTICLES, SURNAME_SET } from './names-surnames.ts'
import { isTitle, type Token } from './names-tokens.ts'
import { COMMON, CUES_BEFORE, EVERYDAY, NOT_NAMES, PLACES, THINGS, VERBS_AFTER } from './names-words.ts'
import type { EntityType } from './types.ts'

/**
 * People and places from the words of a text (`names-tokens.ts`), by rules over phrases:
 * - a capitalised phrase ("Sarah Whitaker", "Pieter van der Berg", "Zhang Wei") is a person when it
 *   has two name words, or one that a title, the gazetteers or the words around it vouch for; its
 *   leading sentence words ("Lunch", "Reminder") and trailing public terms are dropped first; a
 *   phrase with a thing word ("Risk Committee") is no one, and a listed place is a LOC;
 * - in lower case (speech-to-text), a listed given name starts a person, and the words after it
 *   that are not everyday English are the surname ("maría josé fernández ruiz said");
 * - a title in any case takes the name after it ("ms. whitfield", "Dr. Patel").
 * Organisations and funds are found by their suffix in `names-rules.ts`.
 */
export interface Phrase {
  start: number
  end: number
  type: EntityType
  score: number
  detector: string
}

const MAX_NAME_WORDS = 5

const isGiven = (t: Token) =>
  FIRST_NAMES.has(t.key) && !(t.cap ? false : EVERYDAY.has(t.key) || COMMON.has(t.key))
const isParticle = (t: Token) => !t.cap && PARTICLES.has(t.key)
/** A word that could be part of a name written in lower case: no everyday English, no thing. */
const nameLike = (t: Token) =>
  !t.embedded && t.key.length >= 2 && !COMMON.has(t.key) && !NOT_NAMES.has(t.key) && !THINGS.has(t.key)
/** A word no capitalised phrase begins or ends with (sentence words, public terms). */
const sentenceWord = (t: Token, next: Token | undefined) => {
  if (t.acronym || isAllowedKey(t.key)) return true
  // "Will", "Grant" capitalised inside a sentence are people; at its start, the words.
  if (EVERYDAY.has(t.key) && !t.sentenceStart) return false
  if (NOT_NAMES.has(t.key)) return true
  if (!COMMON.has(t.key)) return false
  return !(FIRST_NAMES.has(t.key) && next?.joined && next.cap && !COMMON.has(next.key))
}

export function phrases(tokens: Token[]): Phrase[] {
  const out: Phrase[] = []
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!
    if (t.embedded) {
      i++
      continue
    }
    const found = isTitle(t) ? titled(tokens, i) : t.cap ? capitalised(tokens, i) : lowerCase(tokens, i)
    if (found?.phrase) out.push(found.phrase)
    i = found ? found.next : i + 1
  }
  return out
}

/** The words of a phrase from `i`: joined words that pass `take`, particles only between them. */
function extent(tokens: Token[], i: number, take: (t: Token) => boolean, max = MAX_NAME_WORDS): number {
  let j = i + 1
  while (j < tokens.length && j - i < max && tokens[j]!.joined && !tokens[j - 1]!.possessive) {
    const t = tokens[j]!
    if (take(t)) j++
    else if (isParticle(t) && tokens[j + 1]?.joined && (take(tokens[j + 1]!) || isParticle(tokens[j + 1]!)))
      j++
    else break
  }
  while (j > i + 1 && isParticle(tokens[j - 1]!)) j--
  return j
}

interface Found {
  phrase: Phrase | null
  /** The first word after the phrase (or after the words read and rejected). */
  next: number
}

function phrase(
  tokens: Token[],
  from: number,
  to: number,
  type: EntityType,
  score: number,
  detector: string,
): Phrase {
  return { start: tokens[from]!.start, end: tokens[to - 1]!.end, type, score, detector }
}

/** "Dr. Patel", "ms. van der berg": the name after a title, in any case; the title stays outside. */
function titled(tokens: Token[], i: number): Found | null {
  const first = tokens[i + 1]
  if (!first || first.embedded || !(first.cap ? !first.acronym : nameLike(first) || isParticle(first)))
    return null
  const take = (t: Token) => (t.cap ? !t.acronym && !NOT_NAMES.has(t.key) : first.cap ? false : nameLike(t))
  const end = extent(tokens, i + 1, take, 4)
  if (isParticle(tokens[end - 1]!)) return null
  return { phrase: phrase(tokens, i + 1, end, 'PERSON', 0.9, 'names-title'), next: end }
}

function lowerCase(tokens: Token[], i: number): Found | null {
  const t = tokens[i]!
  if (isGiven(t) && t.key.length >= 2) {
    const end = extent(tokens, i, (n) => (n.cap ? !n.acronym && !isAllowedKey(n.key) : nameLike(n)), 4)
    return { phrase: phrase(tokens, i, end, 'PERSON', end > i + 1 ? 0.8 : 0.7, 'names-given'), next: end }
  }
  if (!nameLike(t) || isParticle(t)) return null
  // An unlisted name in a transcript: two or more name-like words where speech introduces someone.
  const end = extent(tokens, i, nameLike, 4)
  if (end - i < 2 || !(introduced(tokens, i) || affiliated(tokens, end))) return null
  return { phrase: phrase(tokens, i, end, 'PERSON', 0.6, 'names-context'), next: end }
}

/** "this is …", "met …", "with …", "i'm …": the words before a lower-case phrase introduce someone. */
function introduced(tokens: Token[], i: number): boolean {
  const [before, twoBefore] = [tokens[i - 1], tokens[i - 2]]
  if (!before || !tokens[i]!.joined) return false
  if (before.key === 'is')
    return !!twoBefore && before.joined && (twoBefore.key === 'this' || twoBefore.key === 'name')
  return INTRODUCING.has(before.key)
}

/** "… from Acme", "… of Harbor Ridge": a lower-case phrase followed by where the person works. */
function affiliated(tokens: Token[], end: number): boolean {
  const [by, org] = [tokens[end], tokens[end + 1]]
  return !!by && !!org && by.joined && org.joined && AFFILIATION.has(by.key) && org.cap
}

/** Thing words a place's name may have ("Cape Coast", "Salt Lake City"). */
const GEOGRAPHY = new Set([
  'coast',
  'bay',
  'valley',
  'river',
  'lake',
  'island',
  'islands',
  'beach',
  'city',
  'park',
])

const INTRODUCING = new Set(['with', 'met', "i'm", 'im', 'dear', 'hi', 'hello', 'thanks'])
const AFFILIATION = new Set(['from', 'of', 'at'])

function capitalised(tokens: Token[], i: number): Found {
  const next = extent(tokens, i, (t) => t.cap && !t.acronym && !t.embedded)
  let from = i
  let to = next
  while (from < to && sentenceWord(tokens[from]!, tokens[from + 1])) from++
  while (to > from && (sentenceWord(tokens[to - 1]!, undefined) || isParticle(tokens[to - 1]!))) to--
  if (from >= to) return { phrase: null, next }
  const words = tokens.slice(from, to)
  const value = words.map((w) => w.key).join(' ')
  if (PLACES.has(value)) return { phrase: phrase(tokens, from, to, 'LOC', 0.7, 'names-place'), next }
  if (placed(tokens, from, words))
    return { phrase: phrase(tokens, from, to, 'LOC', 0.6, 'names-place'), next }
  if (words.some((w) => THINGS.has(w.key)) || isAllowedKey(value)) return { phrase: null, next }
  const person = personScore(tokens, from, to, from === i && tokens[i]!.sentenceStart)
  if (person === 0) return { phrase: null, next }
  return { phrase: phrase(tokens, from, to, 'PERSON', person, 'names-rules'), next }
}

/** "in Monterrey", "based in Pune": a capitalised phrase after "in" that names no one is a place. */
function placed(tokens: Token[], from: number, words: Token[]): boolean {
  const before = tokens[from - 1]
  if (!before || before.cap || before.key !== 'in' || !tokens[from]!.joined) return false
  const named = words.some((w) => FIRST_NAMES.has(w.key) || SURNAME_SET.has(w.key))
  const things = words.some((w) => THINGS.has(w.key) && !GEOGRAPHY.has(w.key))
  return !named && !things && !isAllowedKey(words.map((w) => w.key).join(' '))
}

/** How sure the phrase `[from, to)` is a person; 0 when it is not one. */
function personScore(tokens: Token[], from: number, to: number, start: boolean): number {
  const words = tokens.slice(from, to).filter((t) => !isParticle(t))
  const listed = words.some((w) => FIRST_NAMES.has(w.key) || SURNAME_SET.has(w.key))
  if (words.length >= 2) return listed ? 0.85 : 0.65
  const w = words[0]!
  const before = tokens[from - 1]
  const after = tokens[to]
  const cue =
    (before && w.joined && !before.cap && CUES_BEFORE.has(before.key)) ||
    (after?.joined && !after.cap && VERBS_AFTER.has(after.key))
  if (FIRST_NAMES.has(w.key) && !COMMON.has(w.key) && !(start && EVERYDAY.has(w.key) && !cue)) return 0.75
  if (SURNAME_SET.has(w.key) && !EVERYDAY.has(w.key) && (!start || cue)) return 0.6
  return cue && (!COMMON.has(w.key) || EVERYDAY.has(w.key)) ? 0.6 : 0
}
