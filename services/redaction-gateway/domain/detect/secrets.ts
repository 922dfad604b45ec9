import { pemBlocks } from './secrets-pem.ts'
import { normaliseSpokenDigits } from './spoken.ts'
import { dedupe } from './tier1.ts'
import { tier1Hit } from './tier1-scan.ts'
import type { DetectContext, Detection, Tier1Kind } from './types.ts'

/** API keys, tokens, private-key blocks and labelled passwords: Tier-1 `api_secret` / `private_key`. */

interface PrefixRule {
  detector: string
  pattern: RegExp
  kind: Tier1Kind
}

const PREFIXED: PrefixRule[] = [
  {
    detector: 'secret-openai',
    kind: 'api_secret',
    pattern: /\bsk-(?:proj-|ant-|or-v1-)?[A-Za-z0-9_-]{20,}/g,
  },
  { detector: 'secret-stripe', kind: 'api_secret', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  {
    detector: 'secret-github',
    kind: 'api_secret',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g,
  },
  { detector: 'secret-slack', kind: 'api_secret', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  {
    detector: 'secret-slack-webhook',
    kind: 'api_secret',
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,}/g,
  },
  { detector: 'secret-aws', kind: 'api_secret', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g },
  { detector: 'secret-google', kind: 'api_secret', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { detector: 'secret-gitlab', kind: 'api_secret', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { detector: 'secret-huggingface', kind: 'api_secret', pattern: /\bhf_[A-Za-z0-9]{30,}/g },
  { detector: 'secret-npm', kind: 'api_secret', pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  {
    detector: 'secret-jwt',
    kind: 'api_secret',
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  // The password inside a URL's credentials: scheme://user:password@host
  {
    detector: 'secret-url-credentials',
    kind: 'api_secret',
    pattern: /(?<=:\/\/[^\s:/@]+:)[^\s@/]{3,}(?=@)/g,
  },
]

/** Bounded by any non-alphanumeric, `_` included, so `DB_PASSWORD=` and `aws_secret_access_key =` count. */
const SECRET_LABEL =
  /(?<![A-Za-z0-9])(?:password|passwd|pwd|passcode|passphrase|pass[ \t]+phrase|secret(?:[ _-]?key)?|client[ _-]?secret|api[ _-]?key|apikey|access[ _-]?key(?:[ _-]?id)?|secret[ _-]?access[ _-]?key|auth[ _-]?token|access[ _-]?token|bearer|token|private[ _-]?key|credentials?|pin(?:[ \t]+(?:code|number))?)(?![A-Za-z0-9])["']?/gi
/** `label: value` or `label=value` (config and chat), or `label is value` (speech). */
const ASSIGN = /^[ \t]*(?:(?::|=|=>|->)[ \t]*["']?|(?:is|was|will[ \t]+be)[ \t]+["']?)/i
const VALUE = /^[^\s"'`,;]{3,}/

/** Words that follow "password is" in prose without being the password. */
const PROSE = new Set(
  (
    'reset changed required expired incorrect wrong correct invalid valid weak strong too not the a an my your ' +
    'their his her our same different saved stored set being still also now in on at for to case sensitive long ' +
    'short missing needed ok fine protected secure safe shared written known unknown locked blocked empty new old ' +
    'there here what this that it sent emailed rotated compromised leaked'
  ).split(' '),
)

function entropy(value: string): number {
  const counts = new Map<string, number>()
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length)
  return bits
}

function labelledValueScore(label: string, value: string, prose: boolean): number | null {
  const word = value.replace(/[.,;:)]+$/, '')
  if (/^pin/i.test(label)) return /^\d{4,8}$/.test(word) ? 0.85 : null
  if (prose && /^[a-z]+$/.test(word) && PROSE.has(word)) return null
  if (/^(?:token|bearer|credentials?)$/i.test(label)) {
    // Generic labels need a token-like value: long, mixed and high in entropy.
    return word.length >= 16 && entropy(word) >= 3 && /\d/.test(word) ? 0.85 : null
  }
  return word.length >= 3 ? (entropy(word) >= 3 ? 0.9 : 0.75) : null
}

/** "PIN 4821" in a note: a PIN needs no "is" or ":" before its digits. */
const PIN_GAP = /^[ \t]+(?=\d{4,8}(?!\d))/

function labelledSecrets(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(SECRET_LABEL)) {
    const after = m.index + m[0].length
    const window = text.slice(after, after + 24)
    const assign = ASSIGN.exec(window) ?? (/^pin/i.test(m[0]) ? PIN_GAP.exec(window) : null)
    if (!assign) continue
    const start = after + assign[0].length
    const raw = VALUE.exec(text.slice(start, start + 4096))?.[0]
    if (!raw) continue
    const value = raw.replace(/[.,;:)]+$/, '')
    const score = labelledValueScore(m[0], value, !/[:=>]/.test(assign[0]))
    if (score !== null)
      hits.push(tier1Hit(text, start, start + value.length, 'api_secret', 'secret-labelled', score))
  }
  return hits
}

/** PINs and passwords read aloud ("my pin is four eight two one"). */
function spokenSecrets(text: string): Detection[] {
  const spoken = normaliseSpokenDigits(text)
  if (!spoken.changed) return []
  return labelledSecrets(spoken.text)
    .filter((d) => /\d/.test(d.value))
    .map((d) => {
      const [start, end] = spoken.toOriginal(d.start, d.end)
      return { ...d, start, end, value: text.slice(start, end), detector: 'secret-labelled-spoken' }
    })
}

/** `Authorization: Bearer <token>`: the scheme name is the label, a space the assignment. */
const BEARER = /(?<![A-Za-z0-9])Bearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/g

function bearerTokens(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(BEARER)) {
    const token = m[1] as string
    // A token mixes digits or cases; a word after "Bearer" in prose does not.
    if (entropy(token) < 3 || !(/\d/.test(token) || (/[a-z]/.test(token) && /[A-Z]/.test(token)))) continue
    const start = m.index + m[0].length - token.length
    hits.push(tier1Hit(text, start, start + token.length, 'api_secret', 'secret-bearer', 0.9))
  }
  return hits
}

export function detectSecrets(text: string, _ctx: DetectContext = {}): Detection[] {
  const hits: Detection[] = []
  for (const rule of PREFIXED) {
    for (const m of text.matchAll(rule.pattern)) {
      const value = m[0].trimEnd()
      hits.push(tier1Hit(text, m.index, m.index + value.length, rule.kind, rule.detector, 0.97))
    }
  }
  return dedupe([
    ...pemBlocks(text),
    ...hits,
    ...labelledSecrets(text),
    ...bearerTokens(text),
    ...spokenSecrets(text),
  ])
}
