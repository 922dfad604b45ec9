import { isAllowed } from './allow-list.ts'
import { foldKey } from './known-fold.ts'
import { FIRST_NAMES } from './names-first.ts'
import { hit } from './structured-span.ts'
import type { Detection, EntityType } from './types.ts'

/** A capitalised name word: "Johnson", "O'Brien", "Al-Rashid", "McDonald", "Ødegaard". */
const CAP = String.raw`\p{Lu}[\p{L}'’]*(?:-\p{Lu}?[\p{L}'’]+)*(?![\p{L}'’-])`
export const TITLE = String.raw`(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Professor|Sir|Dame|Lord|Lady|Herr|Frau|Mme|Mlle|Mme|Sr|Sra)\.?`

const TITLED = new RegExp(String.raw`\b${TITLE}\s+(${CAP}(?:\s+${CAP})?)`, 'gu')
/** Someone met, called, introduced: "with Sarah Johnson", "from Kwame Mensah". */
const AFTER_VERB = new RegExp(
  String.raw`\b(?:with|from|by|met|called|told|asked|cc|per|introduced|and|to|via)\s+(${CAP}\s+${CAP})(?!\s+${CAP})`,
  'gu',
)
/**
 * Someone doing what only people do in notes: "Ravindra asked", "Aurelio Santangelo said". Weaker
 * verbs ("is", "will") also follow "Risk" or "Cold Storage", so they are not used.
 */
const BEFORE_VERB = new RegExp(
  String.raw`(?<![\p{L}'’-])(${CAP}(?:\s+${CAP})?)\s+(?:asked|said|says|wants|thinks|confirmed|mentioned|prefers|declined|agreed|emailed|wrote|replied|texted)\b`,
  'gu',
)
/** Capitalised words that start sentences and are no one. */
const NOBODY =
  /^(?:The|This|That|These|Those|There|Then|So|But|And|Or|If|When|What|Who|Which|Yes|No|He|She|They|We|I|It|You|Our|Your|Their|His|Her|Everyone|Everybody|Nobody|Someone|Somebody|Management|Legal|Compliance|Finance|Team|Board|Today|Tomorrow|Yesterday|Nothing|Everything|Each|Every|Which|Why|How|Also|Maybe|Now|Here|Please|Note|Notes)$/

const ORG_SUFFIX =
  'Inc|LLC|L\\.L\\.C\\.|Ltd|Limited|GmbH|AG|SA|S\\.A\\.|SARL|BV|NV|PLC|LP|LLP|Corp|Corporation|Co|Capital|Partners|Ventures|Holdings|Group|Bank|Trust|Advisors|Advisers|Management|Investments|Asset Management|Family Office|Foundation|Labs|Technologies'
const ORG = new RegExp(String.raw`\b(${CAP}(?:\s+(?:${CAP}|&|of)){0,4}\s+(?:${ORG_SUFFIX}))\b\.?`, 'gu')
const FUND = new RegExp(String.raw`\b((?:${CAP}\s+){1,4}Fund(?:\s+(?:[IVX]{1,4}|\d{1,2}))?)\b`, 'gu')
const ORG_END = new RegExp(String.raw`\b(?:${ORG_SUFFIX}|Fund)$`, 'u')
const WORD = /[\p{L}][\p{L}'’]*(?:-[\p{L}'’]+)*/gu

function groupHit(
  text: string,
  m: RegExpExecArray,
  type: EntityType,
  detector: string,
  score: number,
): Detection | null {
  const inner = m[1]!
  const start = m.index + m[0].indexOf(inner)
  const d = hit(text, start, start + inner.length - possessive(inner), type, detector, score)
  if (!d || isAllowed(d.value)) return null
  return type === 'PERSON' && ORG_END.test(d.value) ? null : d
}

/** Length of a trailing possessive "'s", which is no part of the name. */
export function possessive(value: string): number {
  return /['’]s$/u.test(value) ? 2 : 0
}

/** Not a sentence word ("Nobody asked") and not part of a noun phrase ("Head of Legal said"). */
function isSomeone(text: string, d: Detection): boolean {
  const before = text.slice(Math.max(0, d.start - 8), d.start)
  return !NOBODY.test(d.value.split(' ')[0]!) && !/\b(?:of|the|a|an|our|your|their|my)\s+$/i.test(before)
}

function collect(text: string, re: RegExp, type: EntityType, detector: string, score: number): Detection[] {
  const out: Detection[] = []
  for (const m of text.matchAll(re)) {
    const d = groupHit(text, m as RegExpExecArray, type, detector, score)
    if (d) out.push(d)
  }
  return out
}

/**
 * A given name from the list, in any case ("priya" in a transcript), taking a capitalised
 * surname after it when there is one ("Priya Raman").
 */
function givenNames(text: string): Detection[] {
  const out: Detection[] = []
  const words = [...text.matchAll(WORD)]
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (!FIRST_NAMES.has(foldKey(w[0]))) continue
    const next = words[i + 1]
    const gap = next ? text.slice(w.index + w[0].length, next.index) : ''
    const joined = next && /^\s+$/.test(gap) && /^\p{Lu}/u.test(next[0]) && !isAllowed(next[0])
    const last = joined ? next : w
    const end = last.index + last[0].length - possessive(last[0])
    const d = hit(text, w.index, end, 'PERSON', 'names-given', joined ? 0.85 : 0.75)
    if (d) out.push(d)
    if (joined) i++
  }
  return out
}

export function ruleNames(text: string): Detection[] {
  return [
    ...collect(text, TITLED, 'PERSON', 'names-title', 0.9),
    ...collect(text, AFTER_VERB, 'PERSON', 'names-context', 0.6),
    ...collect(text, BEFORE_VERB, 'PERSON', 'names-context', 0.6).filter((d) => isSomeone(text, d)),
    ...collect(text, ORG, 'ORG', 'names-org', 0.8),
    ...collect(text, FUND, 'FUND', 'names-fund', 0.85),
    ...givenNames(text),
  ]
}
