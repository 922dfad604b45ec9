import { type Folded, fold, foldKey } from './known-fold.ts'
import type { DetectContext, Detection, EntityType, KnownEntities } from './types.ts'

/**
 * The caller's `known_entities`, matched unicode-folded (see `known-fold.ts`). The list lives only
 * for this call: it is never stored, logged or returned — only the spans found in the text are.
 *
 * A person is also matched by each part of the name (first name, surname, each half of a
 * hyphenated surname) so "Ms. Smith-Jones", "Anne" or "Jones" do not leak once "Anne Smith-Jones"
 * is known. Folding turns hyphens into spaces, so "Smith-Jones" also matches "Smith Jones" and the
 * reverse. A part that is also an everyday word ("Will", "Rose", "Grant") matches only when it is
 * capitalised in the text, otherwise every "will" would be a person; so does a whole name made only
 * of such words ("Will Grant").
 */
const KINDS: [keyof KnownEntities, EntityType][] = [
  ['persons', 'PERSON'],
  ['orgs', 'ORG'],
  ['funds', 'FUND'],
  ['emails', 'EMAIL'],
  ['locations', 'LOC'],
]

/** A name made only of everyday words ("Will", "Will Grant") counts only when capitalised. */
export function needsCapital(key: string): boolean {
  return key.split(' ').every((word) => EVERYDAY.test(word))
}

const EVERYDAY =
  /^(?:will|may|rose|grant|mark|bill|art|faith|hope|joy|june|april|august|summer|dawn|sky|chase|hunter|frank|pat|sue|rob|ray|jack|gene|don|bob|guy|max|sam|al|ed|van|von|de|da|di|del|la|le|du|dos|das|bin|ben|the|and|of|jr|sr|ii|iii|young|long|green|white|black|brown|king|price|banks|stone|wood|hill|lee|ward|may|page|bell|rich|cash|case|gay|love|rich|short|little|small)$/

interface Needle {
  key: string
  type: EntityType
  /** Only a capitalised occurrence counts. */
  capitalised: boolean
}

export function detectKnown(text: string, ctx: DetectContext): Detection[] {
  const needles = needlesOf(ctx.knownEntities ?? {})
  if (needles.length === 0) return []
  const folded = fold(text)
  return needles.flatMap((needle) => find(text, folded, needle))
}

function needlesOf(known: KnownEntities): Needle[] {
  const out: Needle[] = []
  for (const [field, type] of KINDS) {
    for (const entry of known[field] ?? []) {
      const key = foldKey(entry)
      if (key.length < 2) continue
      out.push({ key, type, capitalised: type === 'PERSON' && needsCapital(key) })
      if (type === 'PERSON') out.push(...partsOf(key))
    }
  }
  return out
}

/** Every shorter run of the name's words: "zoe", "smith", "jones", "zoe smith", "smith jones". */
function partsOf(key: string): Needle[] {
  const words = key.split(' ').filter((w) => w.replace(/\W/g, '').length >= 2)
  const out: Needle[] = []
  for (let len = 1; len < words.length; len++) {
    for (let i = 0; i + len <= words.length; i++) {
      const part = words.slice(i, i + len).join(' ')
      out.push({ key: part, type: 'PERSON', capitalised: needsCapital(part) })
    }
  }
  return out
}

const WORD_CHAR = /[\p{L}\p{N}]/u

function find(text: string, folded: Folded, needle: Needle): Detection[] {
  const score = needle.key.includes(' ') || !needle.capitalised ? 1 : 0.9
  return findFolded(text, folded, needle.key, needle.capitalised).map(([start, end]) => ({
    start,
    end,
    tier: 2 as const,
    type: needle.type,
    kind: null,
    detector: 'known',
    score,
    value: text.slice(start, end),
  }))
}

/** Whole-word occurrences of a folded `key` as `[start, end)` in the original text. */
export function findFolded(
  text: string,
  folded: Folded,
  key: string,
  capitalised: boolean,
): [number, number][] {
  const out: [number, number][] = []
  for (let at = folded.text.indexOf(key); at >= 0; at = folded.text.indexOf(key, at + 1)) {
    const last = at + key.length - 1
    if (WORD_CHAR.test(folded.text[at - 1] ?? '') || WORD_CHAR.test(folded.text[last + 1] ?? '')) continue
    const start = folded.starts[at]!
    if (capitalised && !/^\p{Lu}/u.test(text[start]!)) continue
    out.push([start, folded.ends[last]!])
  }
  return out
}
