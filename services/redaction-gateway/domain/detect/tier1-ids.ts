import { luhnValid, ssnValid } from './tier1-checks.ts'
import { type LabelledRule, labelledHits, tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/** Identity numbers: SSN (formatted or labelled), passports and other government ids, card numbers. */

const SSN_LABEL =
  /\b(?:ssn|ss#|s\.[ \t]?s\.[ \t]?n\b\.?|s[ \t]s[ \t]n\b|social[ \t]+security(?:[ \t]+(?:number|no\b\.?|#|num))?|social(?=[ \t]*(?:is|:|#|number)))/gi

const SSN: LabelledRule = {
  kind: 'ssn',
  detector: 'tier1-ssn',
  label: SSN_LABEL,
  code: { digitsOnly: true, maxLength: 13 },
  score: (code) => (code.digits === 9 ? (ssnValid(code.compact) ? 0.97 : 0.75) : null),
}

/** Unlabelled SSNs need the 3-2-4 shape and the SSA rules. */
const SSN_SHAPE = /(?<![\d\-./])(\d{3})[-. /](\d{2})[-. /](\d{4})(?![\d]|[-./]\d)/g

function formattedSsns(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(SSN_SHAPE)) {
    if (!ssnValid(`${m[1]}${m[2]}${m[3]}`)) continue
    hits.push(tier1Hit(text, m.index, m.index + m[0].length, 'ssn', 'tier1-ssn', 0.85))
  }
  return hits
}

const PASSPORT: LabelledRule = {
  kind: 'passport',
  detector: 'tier1-passport',
  label: /\bpassport(?:[ \t]*(?:number|no\b\.?|num|#|id))?/gi,
  code: { digitsOnly: false, maxLength: 16 },
  score: (code) => (code.compact.length >= 6 && code.compact.length <= 12 && code.digits >= 4 ? 0.9 : null),
}

const GOV_ID: LabelledRule = {
  kind: 'gov_id',
  detector: 'tier1-gov-id',
  label:
    /\b(?:driver'?s?[ \t]+licen[cs]e|driving[ \t]+licen[cs]e|licen[cs]e[ \t]+(?:number|no\b\.?|#)|dl[ \t]*#|national[ \t]+(?:id|identity|insurance)(?:[ \t]+card)?|ni[ \t]+number|nino|tax[ \t]+(?:id|identification)|tin|ein|itin|social[ \t]+insurance|sin[ \t]*(?:number|no\b\.?|#)|nhs[ \t]+number|medicare(?:[ \t]+number)?|medicaid(?:[ \t]+number)?|state[ \t]+id|id[ \t]+card|government[ \t]+id|personal[ \t]+id(?:entity)?|identity[ \t]+(?:card|number)|aadhaar|cpf|dni|nie|bsn|personnummer|steuer-?id|codice[ \t]+fiscale|green[ \t]+card|alien[ \t]+(?:registration|number)|a-number|visa[ \t]+number|military[ \t]+id)/gi,
  code: { digitsOnly: false, maxLength: 24 },
  score: (code) => (code.compact.length >= 5 && code.compact.length <= 20 && code.digits >= 3 ? 0.85 : null),
}

const CARD_LABEL =
  /\b(?:(?:credit|debit|bank|visa|master[ \t]?card|amex|american[ \t]+express|discover|payment)[ \t]+card(?:[ \t]*(?:number|no\b\.?|#|num))?|card[ \t]*(?:number|no\b\.?|#|num)|cc[ \t]*#|visa|master[ \t]?card|amex)/gi

const CARD: LabelledRule = {
  kind: 'card_number',
  detector: 'tier1-card',
  label: CARD_LABEL,
  code: { digitsOnly: true, maxLength: 23 },
  score: (code) => (code.digits >= 13 && code.digits <= 19 ? (luhnValid(code.compact) ? 0.97 : 0.6) : null),
}

const CARD_SHAPE = /(?<![\d-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d]|-\d)/g

function unlabelledCards(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(CARD_SHAPE)) {
    const digits = m[0].replace(/\D/g, '')
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits) || /^(\d)\1+$/.test(digits)) continue
    hits.push(tier1Hit(text, m.index, m.index + m[0].length, 'card_number', 'tier1-card', 0.9))
  }
  return hits
}

export function detectIdNumbers(text: string): Detection[] {
  return [
    ...labelledHits(text, SSN),
    ...formattedSsns(text),
    ...labelledHits(text, PASSPORT),
    ...labelledHits(text, GOV_ID),
    ...labelledHits(text, CARD),
    ...unlabelledCards(text),
  ]
}
