/**
 * Descriptive flags: phrases that can identify someone without naming them — a role tied to an
 * organisation or a place ("the CFO of [ORG_1]", "our largest LP in Zug"), an age ("a 62-year-old"),
 * a relation next to a person ("[PERSON_1]'s wife"), a unique descriptor ("the only woman on the
 * board"). They are read from the SCRUBBED text, the text the caller gets back: the placeholders
 * are what ties a description to someone, and the spans point into what the caller holds. Nothing
 * is changed (`action: "flag"`): whether such a phrase may leave is the caller's call.
 */
import { anyOf, DECADES, PEOPLE, RELATIONS, ROLES, UNIQUE } from './descriptive-words.ts'

export type DescriptiveKind = 'role' | 'age' | 'relation' | 'unique'

export interface DescriptiveFlag {
  /** UTF-16 offsets [start, end) into the scrubbed text. */
  span: [number, number]
  action: 'flag'
  kind: DescriptiveKind
}

const PLACEHOLDER = String.raw`\[(?:ORG|LOC|FUND|ADDR|PERSON|MISC)_\d+\]`
const PERSON = String.raw`\[PERSON_\d+\]`
/** A capitalised name of up to four words ("Zug", "Acme Capital Partners"). */
const NAME = String.raw`\p{Lu}[\p{L}\p{M}&'’.-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}&'’.-]*){0,3}`
const TARGET = `(?:${PLACEHOLDER}|${NAME})`
const OWNER = "(?:'s|’s|')"
const DETERMINER = String.raw`\b(?:[Tt]he|[Oo]ur|[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Yy]our|[Mm]y|[Aa]n?)\s+`
/** Up to two words between a determiner and the role ("the new deputy CFO"). */
const ADJECTIVES = String.raw`(?:[\p{L}-]+\s+){0,2}?`
const ROLE = `\\b${anyOf(ROLES)}s?\\b`
const PLACE_WORD = String.raw`\s+(?:of|at|in|for|from|with|on)\s+(?:the\s+)?`
const NUMBER_WORD = anyOf([
  '(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?',
  'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen',
])

const RULES: ReadonlyArray<{ kind: DescriptiveKind; pattern: RegExp }> = [
  // "the CFO of [ORG_1]", "our largest LP in Zug"
  { kind: 'role', pattern: re(`(?:${DETERMINER}${ADJECTIVES})?${ROLE}${PLACE_WORD}${TARGET}`) },
  // "[ORG_1]'s CFO", "Acme's head of sales"
  { kind: 'role', pattern: re(`${TARGET}${OWNER}\\s+${ADJECTIVES}${ROLE}`) },
  // "a 62-year-old", "62 years old", "sixty-two-year-old"
  { kind: 'age', pattern: re(`\\b(?:\\d{1,3}|${NUMBER_WORD})(?:-|\\s+)years?(?:-|\\s+)old\\b`) },
  // "aged 62", "age: 62"
  { kind: 'age', pattern: re(String.raw`\b[Aa]ged?:?\s+\d{1,3}\b`) },
  // "in her early sixties"
  {
    kind: 'age',
    pattern: re(`\\bin\\s+(?:his|her|their)\\s+(?:(?:early|mid|late)[\\s-]+)?${anyOf(DECADES)}\\b`),
  },
  // "born in 1962", "born on [DATE_1]"
  { kind: 'age', pattern: re(String.raw`\b[Bb]orn\s+(?:in|on)\s+(?:\d{4}\b|\[DATE_\d+\])`) },
  // "[PERSON_1]'s wife", "[PERSON_1]’s late husband"
  { kind: 'relation', pattern: re(`${PERSON}${OWNER}\\s+${ADJECTIVES}\\b${anyOf(RELATIONS)}\\b`) },
  // "the wife of [PERSON_1]"
  { kind: 'relation', pattern: re(`\\b${anyOf(RELATIONS)}\\s+of\\s+${PERSON}`) },
  // "the only woman on the board", "our largest LP"
  {
    kind: 'unique',
    pattern: re(
      `${DETERMINER}${anyOf(UNIQUE)}\\s+${ADJECTIVES}(?:\\b${anyOf(PEOPLE)}\\b|${ROLE})` +
        `(?:${PLACE_WORD}(?:${TARGET}|[\\p{Ll}-]+))?`,
    ),
  },
]

function re(source: string): RegExp {
  return new RegExp(source, 'gu')
}

/** Flags over the scrubbed text, in order, overlapping phrases merged into one span. */
export function descriptiveFlags(scrubbedText: string): DescriptiveFlag[] {
  const found: DescriptiveFlag[] = []
  for (const { kind, pattern } of RULES) {
    for (const m of scrubbedText.matchAll(pattern)) {
      const end = m.index + trimmedLength(m[0])
      if (end > m.index) found.push({ span: [m.index, end], action: 'flag', kind })
    }
  }
  return merge(found)
}

/** A capitalised name may end the match with a sentence's full stop; the flag stops before it. */
function trimmedLength(text: string): number {
  return text.replace(/[.'’-]+$/u, '').length
}

function merge(flags: DescriptiveFlag[]): DescriptiveFlag[] {
  const sorted = flags.sort((a, b) => a.span[0] - b.span[0] || b.span[1] - a.span[1])
  const out: DescriptiveFlag[] = []
  for (const flag of sorted) {
    const last = out.at(-1)
    if (last && flag.span[0] < last.span[1]) last.span[1] = Math.max(last.span[1], flag.span[1])
    else out.push({ ...flag, span: [flag.span[0], flag.span[1]] })
  }
  return out
}
