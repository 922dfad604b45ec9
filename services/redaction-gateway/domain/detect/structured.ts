import { detectAddresses } from './structured-address.ts'
import { detectAmounts } from './structured-amounts.ts'
import { detectEmails, detectIps, detectPhones, detectUrls } from './structured-contact.ts'
import { detectDates } from './structured-dates.ts'
import { matchAll } from './structured-span.ts'
import { detectSpokenNumbers } from './structured-spoken.ts'
import type { DetectContext, Detection } from './types.ts'

/**
 * Long digit runs (7+ digits, optionally grouped by `-` or spaced 3–4 digit groups) that nothing
 * more specific claims; their low score lets any typed span over the same digits win in `resolve`.
 */
const DIGIT_RUN = /(?<![\w.])(?:\d[\d-]{5,}\d|\d{3,4}(?: \d{3,4}){2,})(?![\w]|\.\d)/g

function detectDigits(text: string): Detection[] {
  return matchAll(text, DIGIT_RUN, 'DIGITS', 'digits', 0.3, (m) => m[0].replace(/\D/g, '').length >= 7)
}

/** Structured PII: contact details, money, dates, addresses, IPs and bare digit runs, also read aloud (unresolved). */
export function detectStructured(text: string, _ctx: DetectContext = {}): Detection[] {
  return [
    ...detectEmails(text),
    ...detectUrls(text),
    ...detectPhones(text),
    ...detectAmounts(text),
    ...detectDates(text),
    ...detectAddresses(text),
    ...detectIps(text),
    ...detectDigits(text),
    ...detectSpokenNumbers(text, (spoken) => [...detectPhones(spoken), ...detectDigits(spoken)]),
  ]
}
