import { matchAll } from './structured-span.ts'
import type { Detection } from './types.ts'

/** "May" and "March" are also words, so only their capitalised form is a month. */
export const MONTHS = String.raw`(?:[Jj]an(?:uary)?|[Ff]eb(?:ruary)?|Mar(?:ch)?|[Aa]pr(?:il)?|May|[Jj]une?|[Jj]uly?|[Aa]ug(?:ust)?|[Ss]ep(?:t(?:ember)?)?|[Oo]ct(?:ober)?|[Nn]ov(?:ember)?|[Dd]ec(?:ember)?)\.?`
const ORDINAL_WORD = String.raw`(?:(?:twenty|thirty)[\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)`
const DAY = String.raw`(?:\d{1,2}(?:st|nd|rd|th)?|${ORDINAL_WORD})`
const YEAR = String.raw`(?:\d{4}|'\d{2})`

const ISO =
  /\b\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g
const NUMERIC = /\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}\/\d{1,2}\/\d{1,2})\b/g
const WORDED = new RegExp(
  [
    String.raw`\b${MONTHS}\s+${DAY}\b(?:,?\s+${YEAR}\b)?`,
    String.raw`\b(?:the\s+)?${DAY}\s+(?:of\s+)?${MONTHS}(?:,?\s+${YEAR}\b)?`,
    String.raw`\b${MONTHS}\s+${YEAR}\b`,
  ].join('|'),
  'g',
)
const QUARTER = new RegExp(
  String.raw`\b(?:[QH][1-4]|FY)\s?(?:of\s+)?${YEAR}\b|\bFY\d{2}\b|\b(?:first|second|third|fourth)\s+quarter\s+(?:of\s+)?\d{4}\b`,
  'gi',
)

function plausibleNumeric(m: RegExpExecArray): boolean {
  const [a, b] = m[0].split(/[/.-]/).map(Number)
  if (m[0].length >= 10 && /^\d{4}/.test(m[0])) return true
  return a! >= 1 && b! >= 1 && (a! <= 12 || b! <= 12) && a! <= 31 && b! <= 31
}

export function detectDates(text: string): Detection[] {
  return [
    ...matchAll(text, ISO, 'DATE', 'date', 0.95),
    ...matchAll(text, NUMERIC, 'DATE', 'date', 0.8, plausibleNumeric),
    ...matchAll(text, WORDED, 'DATE', 'date', 0.85, (m) => !/^the\s*$/i.test(m[0])),
    ...matchAll(text, QUARTER, 'DATE', 'date-quarter', 0.8),
  ]
}
