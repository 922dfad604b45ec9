import { isIP } from 'node:net'
import { findPhoneNumbersInText } from 'libphonenumber-js'
import { phoneWindows } from './structured-phone-windows.ts'
import { hit, matchAll } from './structured-span.ts'
import type { Detection } from './types.ts'

/**
 * Top-level domains a bare domain (no scheme, no `www.`) must end in. Bounded on purpose: every
 * `word.word` would otherwise be a URL (`report.pdf`, `e.g`), so only common generic and the
 * country codes seen in CRM notes count. The TLD must be written lower-case for the same reason
 * (`closed.It` is a missing space, not a domain).
 */
const TLDS =
  'com|org|net|io|co|ai|app|dev|xyz|info|biz|me|us|uk|de|ch|fr|es|it|nl|eu|ca|au|jp|sg|hk|li|lu|at|be|se|no|dk|fi|ie|pt|pl|cz|ru|cn|in|br|mx|za|nz|vc|ky|bm|ae|il|kr|tw|gg|je|im|fund|capital|finance|bank|money|exchange|tech|gov|edu|email|cloud|online|site|news|ventures|partners|social|page|link|ly|gl|to|tv|fm|sh|so'
const TLD_SET = new Set(TLDS.split('|'))

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
/** Read-aloud addresses: "john dot smith at example dot com", "jane at acme.io". */
const SPOKEN_EMAIL = new RegExp(
  String.raw`\b[a-z0-9]+(?:(?:\s+(?:dot|underscore|dash|hyphen|plus)\s+|[._+-])[a-z0-9]+)*\s+at\s+[a-z0-9-]+(?:(?:\s+dot\s+|\.)[a-z0-9-]+)*(?:\s+dot\s+|\.)(?:${TLDS})\b`,
  'gi',
)
/** Addresses written to dodge harvesters: "jane [at] example [dot] com", "jane(at)example.com". */
const BRACKETED_AT = String.raw`\s*[[({<]\s*at\s*[\])}>]\s*`
const BRACKETED_DOT = String.raw`(?:\s*[[({<]\s*dot\s*[\])}>]\s*|\.)`
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`[A-Za-z0-9._%+-]+${BRACKETED_AT}[A-Za-z0-9-]+(?:${BRACKETED_DOT}[A-Za-z0-9-]+)*${BRACKETED_DOT}[A-Za-z]{2,}\b`,
  'gi',
)
const URL_SCHEME = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi
const URL_WWW = /\bwww\.[^\s<>"'`]+/gi
const BARE_DOMAIN = new RegExp(
  String.raw`(?<![\w@.:/-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:${TLDS})\b(?:/[^\s<>"'\x60]*)?`,
  'g',
)
const HANDLE = /(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?\b/g
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g
const IPV6_CANDIDATE = /(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])/g
/** Phone-shaped groups libphonenumber may reject (fictional 555 numbers, unknown plans). */
const PHONE_SHAPE =
  /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,4}(?:\s*(?:ext\.?|x|#)\s*\d{1,5})?\b/gi

const PHONE_REGIONS = ['US', 'GB', 'DE', 'CH'] as const

export function detectEmails(text: string): Detection[] {
  return [
    ...matchAll(text, EMAIL, 'EMAIL', 'email', 0.99),
    ...matchAll(text, SPOKEN_EMAIL, 'EMAIL', 'email-spoken', 0.85),
    ...matchAll(text, OBFUSCATED_EMAIL, 'EMAIL', 'email-obfuscated', 0.9),
  ]
}

export function detectUrls(text: string): Detection[] {
  return [
    ...matchAll(text, URL_SCHEME, 'URL', 'url', 0.95),
    ...matchAll(text, URL_WWW, 'URL', 'url', 0.9),
    ...matchAll(text, BARE_DOMAIN, 'URL', 'url-bare', 0.7, (m) => isBareDomain(m[0])),
    ...matchAll(text, HANDLE, 'HANDLE', 'handle', 0.8),
  ]
}

function isBareDomain(candidate: string): boolean {
  const host = candidate.split('/')[0]!
  const tld = host.slice(host.lastIndexOf('.') + 1)
  return TLD_SET.has(tld) && !/^\d+(?:\.\d+)+$/.test(host)
}

export function detectPhones(text: string): Detection[] {
  const out: Detection[] = []
  const windows = phoneWindows(text)
  for (const region of PHONE_REGIONS) {
    for (const found of withoutStackTraces(() => findPhoneNumbersInText(windows.text, region))) {
      const [start, end] = windows.toOriginal(found.startsAt, found.endsAt)
      if (!plausiblePhone(text.slice(start, end), region)) continue
      const d = hit(text, start, end, 'PHONE', 'phone', 0.9)
      if (d) out.push(d)
    }
  }
  out.push(...matchAll(text, PHONE_SHAPE, 'PHONE', 'phone-shape', 0.7))
  return out
}

/**
 * libphonenumber throws (and catches) a ParseError for every digit group that is no number, and
 * capturing each one's stack trace was a fifth of the phone search; the search is synchronous, so
 * the limit is back before anything else runs.
 */
function withoutStackTraces<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return fn()
  } finally {
    Error.stackTraceLimit = limit
  }
}

/**
 * Outside the US a national number is dialled with its trunk `0`; without that rule the German
 * plan's loose lengths read years ("2024 2025"), IPs and account numbers as phones.
 */
function plausiblePhone(raw: string, region: (typeof PHONE_REGIONS)[number]): boolean {
  if (raw.startsWith('+')) return true
  if (/^\d+(?:\.\d+){3}$/.test(raw)) return false
  return region === 'US' || /^\(?0/.test(raw)
}

export function detectIps(text: string): Detection[] {
  return [
    ...matchAll(text, IPV4, 'IP', 'ip', 0.9),
    ...matchAll(text, IPV6_CANDIDATE, 'IP', 'ip', 0.9, (m) => m[0].includes(':') && isIP(m[0]) === 6),
  ]
}
