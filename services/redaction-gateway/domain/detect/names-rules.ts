import { isAllowed } from './allow-list.ts'
import { foldKey } from './known-fold.ts'
import { NOT_NAMES, THINGS } from './names-words.ts'
import { hit } from './structured-span.ts'
import type { Detection, EntityType } from './types.ts'

/**
 * Organisations and funds by their suffix: "Blue Harbor Partners LLC", "Northwind Growth Fund II".
 * People and places are read word by word in `names-phrases.ts`.
 */

/** A capitalised name word: "Johnson", "O'Brien", "Al-Rashid", "McDonald", "Ødegaard". */
const CAP = String.raw`\p{Lu}[\p{L}'’]*(?:-\p{Lu}?[\p{L}'’]+)*(?![\p{L}'’-])`
const ORG_SUFFIX =
  'Inc|LLC|L\\.L\\.C\\.|Ltd|Limited|GmbH|AG|SA|S\\.A\\.|SARL|BV|NV|PLC|LP|LLP|Corp|Corporation|Co|Capital|Partners|Ventures|Holdings|Group|Bank|Trust|Advisors|Advisers|Management|Investments|Asset Management|Family Office|Foundation|Labs|Technologies|Company|Associates|Analytics|Custody|Mining|Logistics|Securities|Financial|Advisory|Consulting|Industries|Solutions|Insurance|Properties|Enterprises'
const ORG = new RegExp(String.raw`\b(${CAP}(?:\s+(?:${CAP}|&|of)){0,4}\s+(?:${ORG_SUFFIX}))\b\.?`, 'gu')
const FUND = new RegExp(String.raw`\b((?:${CAP}\s+){1,4}Fund(?:\s+(?:[IVX]{1,4}|\d{1,2}))?)\b`, 'gu')

/** Length of a trailing possessive "'s", which is no part of the name. */
export function possessive(value: string): number {
  return /['’]s$/u.test(value) ? 2 : 0
}

/**
 * Where the organisation's own name starts in a suffix match: after a sentence word ("Met Acme
 * Capital") and after a person it follows ("Tobias Wren of Quarry Lane Capital" — the person is
 * read by the phrase rules), but "Bank of Montreal Trust" stays whole.
 */
function orgStart(value: string): number {
  const words = [...value.matchAll(/\S+/g)]
  let i = 0
  while (i < words.length - 2 && NOT_NAMES.has(foldKey(words[i]![0]))) i++
  const of = words.findLastIndex((w, j) => j > i && w[0] === 'of')
  if (of > i && of < words.length - 2 && !THINGS.has(foldKey(words[i]![0]))) i = of + 1
  return words[i]!.index
}

function collect(text: string, re: RegExp, type: EntityType, detector: string, score: number): Detection[] {
  const out: Detection[] = []
  for (const m of text.matchAll(re)) {
    const whole = m[1]!
    const skip = type === 'ORG' ? orgStart(whole) : 0
    const inner = whole.slice(skip)
    const start = m.index + m[0].indexOf(whole) + skip
    const d = hit(text, start, start + inner.length - possessive(inner), type, detector, score)
    if (d && !isAllowed(d.value)) out.push(d)
  }
  return out
}

export function organisations(text: string): Detection[] {
  return [...collect(text, ORG, 'ORG', 'names-org', 0.8), ...collect(text, FUND, 'FUND', 'names-fund', 0.85)]
}
