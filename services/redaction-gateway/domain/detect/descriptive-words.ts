/**
 * The words the descriptive flags look for. Each list is written once in lower case; `anyOf` turns
 * it into a case-blind alternation while the rest of a pattern keeps its case (a capitalised place
 * name still has to be capitalised), which a whole-pattern `i` flag would not allow.
 */

/** Roles that, tied to an organisation or a place, point at one person. */
export const ROLES = [
  'ceo',
  'cfo',
  'coo',
  'cto',
  'cio',
  'ciso',
  'cmo',
  'chief executive',
  'chief financial officer',
  'chief operating officer',
  'chair',
  'chairman',
  'chairwoman',
  'chairperson',
  'president',
  'vice president',
  'vp',
  'founder',
  'co-founder',
  'cofounder',
  'owner',
  'managing partner',
  'general partner',
  'limited partner',
  'partner',
  'gp',
  'lp',
  'managing director',
  'director',
  'board member',
  'head of [a-z]+',
  'treasurer',
  'controller',
  'general counsel',
  'secretary',
  'principal',
  'investor',
  'shareholder',
  'donor',
  'trustee',
  'mayor',
  'governor',
  'senator',
  'minister',
  'ambassador',
  'judge',
  'pastor',
  'priest',
  'rabbi',
  'imam',
  'headmaster',
  'headmistress',
  'dean',
  'professor',
  'coach',
  'doctor',
  'lawyer',
  'attorney',
  'accountant',
  'auditor',
  'banker',
  'client',
  'customer',
  'employee',
] as const

/** People-words a unique descriptor can single out ("the only woman on the board"). */
export const PEOPLE = [
  'woman',
  'man',
  'person',
  'female',
  'male',
  'member',
  'guy',
  'girl',
  'boy',
  'lady',
  'one',
] as const

/** Relations that, next to a named person, point at another one. */
export const RELATIONS = [
  'wife',
  'husband',
  'spouse',
  'ex-wife',
  'ex-husband',
  'widow',
  'widower',
  'fiancé',
  'fiancée',
  'fiance',
  'fiancee',
  'girlfriend',
  'boyfriend',
  'son',
  'daughter',
  'child',
  'children',
  'kids?',
  'stepson',
  'stepdaughter',
  'mother',
  'father',
  'mom',
  'mum',
  'dad',
  'parents?',
  'brother',
  'sister',
  'siblings?',
  'twin',
  'uncle',
  'aunt',
  'nephew',
  'niece',
  'cousin',
  'grandson',
  'granddaughter',
  'grandchild',
  'grandmother',
  'grandfather',
  'mother-in-law',
  'father-in-law',
  'son-in-law',
  'daughter-in-law',
  'brother-in-law',
  'sister-in-law',
] as const

/** Words that make a description fit one person only. */
export const UNIQUE = [
  'only',
  'sole',
  'first',
  'last',
  'youngest',
  'oldest',
  'eldest',
  'longest-serving',
  'newest',
  'largest',
  'biggest',
  'richest',
  'wealthiest',
  'top',
] as const

/** Decades as words: "in her sixties", "in his early forties". */
export const DECADES = [
  'twenties',
  'thirties',
  'forties',
  'fifties',
  'sixties',
  'seventies',
  'eighties',
  'nineties',
]

/**
 * A case-blind alternation of `words` (longest first, so "chief executive" wins over "chief").
 * Letters become `[xX]` classes; anything else (spaces, hyphens, a `[a-z]+` or `?` already in a
 * word) is kept, with a space matching any run of blanks.
 */
export function anyOf(words: readonly string[]): string {
  const sorted = [...words].sort((a, b) => b.length - a.length)
  return `(?:${sorted.map(caseBlind).join('|')})`
}

function caseBlind(word: string): string {
  let out = ''
  let inClass = false
  for (const ch of word) {
    if (ch === '[') inClass = true
    if (inClass) {
      out += ch === 'z' ? 'zA-Z' : ch
      if (ch === ']') inClass = false
      continue
    }
    if (ch === ' ') out += '\\s+'
    else if (/\p{Ll}/u.test(ch) && ch.toUpperCase() !== ch) out += `[${ch}${ch.toUpperCase()}]`
    else out += ch
  }
  return out
}
