import { abaValid, COUNTRY_CODES, IBAN_LENGTHS, ibanValid } from './tier1-checks.ts'
import { type LabelledRule, labelledHits, tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/** Bank material: account, routing and wire numbers (label-anchored), IBAN (mod-97), SWIFT/BIC. */

const ACCOUNT: LabelledRule = {
  kind: 'account_number',
  detector: 'tier1-account',
  label:
    /\b(?:(?:account|acct|acc)\.?[ \t]*(?:number|no\b\.?|num|nr|#)|(?:bank|checking|savings|brokerage|deposit|beneficiary|current|custody|custodial|trading|investment|ira|401k|roth)[ \t]+(?:account|acct)\b|acct\b\.?|a\/c\b|account(?=[ \t]*[:#=]))/gi,
  code: { digitsOnly: false, maxLength: 34 },
  score: (code) => (code.digits >= 5 && code.digits <= 20 ? 0.9 : null),
}

const ROUTING: LabelledRule = {
  kind: 'routing_number',
  detector: 'tier1-routing',
  label: /\b(?:routing(?:[ \t]+(?:and|&)[ \t]+transit)?|aba|rtn|transit|sort[ \t]+code|bsb)\b/gi,
  code: { digitsOnly: true, maxLength: 14 },
  score: (code) => {
    if (code.digits === 9) return abaValid(code.compact) ? 0.99 : 0.75
    return code.digits >= 6 && code.digits <= 11 ? 0.7 : null
  },
}

const WIRE: LabelledRule = {
  kind: 'wire',
  detector: 'tier1-wire',
  label:
    /\b(?:wire(?:[ \t]+transfer)?[ \t]*(?:number|no\b\.?|#|reference|ref\b\.?|id|confirmation|tracking)|fedwire(?:[ \t]+(?:reference|ref\b\.?|number|id))?|imad|omad|uetr|mt103(?:[ \t]+(?:reference|ref\b\.?))?|fed[ \t]*ref(?:erence)?)/gi,
  code: { digitsOnly: false, maxLength: 48 },
  score: (code) => (code.compact.length >= 6 && code.digits >= 3 ? 0.85 : null),
}

const IBAN_START = /\b([A-Za-z]{2})(\d{2})(?=[ -]?[A-Za-z0-9])/g
const IBAN_LABEL = /\biban\b[^A-Za-z0-9]{0,12}$/i

/** Reads up to 34 IBAN characters, separators between any two of them, and maps them back. */
function ibanCandidate(text: string, start: number): { compact: string; ends: number[] } {
  let compact = ''
  const ends: number[] = []
  let i = start
  while (i < text.length && compact.length < 34) {
    const ch = text[i] as string
    if (/[A-Za-z0-9]/.test(ch)) {
      compact += ch.toUpperCase()
      ends.push(i + 1)
      i++
    } else if ((ch === ' ' || ch === '-') && /[A-Za-z0-9]/.test(text[i + 1] ?? '') && compact.length > 0) i++
    else break
  }
  return { compact, ends }
}

function ibanHits(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(IBAN_START)) {
    const country = (m[1] as string).toUpperCase()
    const labelled = IBAN_LABEL.test(text.slice(Math.max(0, m.index - 20), m.index))
    const upper = (m[1] as string) === country
    const { compact, ends } = ibanCandidate(text, m.index)
    const length = IBAN_LENGTHS[country]
    const lengths = length ? [length] : labelled ? [...Array(20).keys()].map((k) => 34 - k) : []
    const valid = lengths.find((l) => l <= compact.length && ibanValid(compact.slice(0, l)))
    if (valid !== undefined && (upper || labelled || valid >= 15)) {
      hits.push(tier1Hit(text, m.index, ends[valid - 1] as number, 'iban', 'tier1-iban', 0.99))
    } else if (labelled && compact.length >= 15) {
      // A labelled IBAN whose check digits fail (ASR garbles digits) is still dropped.
      const end = ends[Math.min(compact.length, length ?? 34) - 1] as number
      hits.push(tier1Hit(text, m.index, end, 'iban', 'tier1-iban', 0.6))
    }
  }
  return hits
}

const SWIFT_LABEL = /\b(?:swift|bic)(?:[ \t]*(?:\/[ \t]*bic|code|number|no\b\.?|#|address))?\b/gi
const BIC_SHAPE = /\b[A-Za-z]{4}([A-Za-z]{2})[A-Za-z0-9]{2}(?:[A-Za-z0-9]{3})?\b/y
const BIC_UNLABELLED = /\b[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b/g
const BANK_CONTEXT = /\b(?:bank|wire|transfer|beneficiary|correspondent|intermediary|remit|payment)/i

function swiftHits(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(SWIFT_LABEL)) {
    const at = m.index + m[0].length
    const gap = /^[ \t]*(?:is|:|=|-|#)?[ \t]*(?:code[ \t]*)?(?::[ \t]*)?/i.exec(text.slice(at))?.[0] ?? ''
    BIC_SHAPE.lastIndex = at + gap.length
    const bic = BIC_SHAPE.exec(text)
    if (bic) {
      const known = COUNTRY_CODES.has((bic[1] as string).toUpperCase())
      hits.push(
        tier1Hit(text, bic.index, bic.index + bic[0].length, 'swift', 'tier1-swift', known ? 0.95 : 0.7),
      )
    }
  }
  for (const m of text.matchAll(BIC_UNLABELLED)) {
    if (!COUNTRY_CODES.has(m[1] as string)) continue
    const code = m[0]
    const tail = code.slice(6)
    const before = text.slice(Math.max(0, m.index - 30), m.index)
    // All-caps words ("CUSTOMER") share the shape; a digit, the XXX branch or bank words just before tell.
    if (/\d/.test(tail) || code.endsWith('XXX') || BANK_CONTEXT.test(before)) {
      hits.push(tier1Hit(text, m.index, m.index + code.length, 'swift', 'tier1-swift', 0.8))
    }
  }
  return hits
}

export function detectBankNumbers(text: string): Detection[] {
  return [
    ...labelledHits(text, ACCOUNT),
    ...labelledHits(text, ROUTING),
    ...labelledHits(text, WIRE),
    ...ibanHits(text),
    ...swiftHits(text),
  ]
}
