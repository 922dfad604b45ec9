/**
 * Scrubbed text with its placeholders marked by type: a colour per type (a class; our CSP allows
 * no inline style), the type's name in words beside each colour in the legend, and every piece of
 * text written as text by JSX (escaped), never as HTML.
 */

/** `[TYPE_N]` placeholders and the `[REDACTED]` that stands where Tier-1 data was dropped. */
const PLACEHOLDER = /\[([A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*)_(\d+)\]|\[REDACTED\]/g
export const DROPPED = 'REDACTED'

export type Piece = { text: string } | { token: string; type: string }

export function piecesOf(scrubbed: string): Piece[] {
  const pieces: Piece[] = []
  let at = 0
  for (const m of scrubbed.matchAll(PLACEHOLDER)) {
    if (m.index > at) pieces.push({ text: scrubbed.slice(at, m.index) })
    pieces.push({ token: m[0], type: m[1] ?? DROPPED })
    at = m.index + m[0].length
  }
  if (at < scrubbed.length) pieces.push({ text: scrubbed.slice(at) })
  return pieces
}

/** What each placeholder type stands for, in words. */
export const TYPE_WORDS: Record<string, string> = {
  PERSON: 'person',
  ORG: 'organisation',
  FUND: 'fund',
  EMAIL: 'email address',
  PHONE: 'phone number',
  URL: 'web address',
  HANDLE: 'social handle',
  ADDR: 'street address',
  AMOUNT: 'amount',
  DATE: 'date',
  LOC: 'place',
  MISC: 'other detail',
  IP: 'IP address',
  DIGITS: 'long number',
  BTC_ADDR: 'bitcoin address',
  BTC_XPUB: 'bitcoin extended public key',
  BTC_DESCRIPTOR: 'wallet descriptor',
  BTC_TXID: 'bitcoin transaction id',
  LN_INVOICE: 'Lightning invoice',
  LNURL: 'LNURL',
  [DROPPED]: 'dropped, never stored (Tier-1)',
}

const KNOWN = Object.keys(TYPE_WORDS)
const PALETTE = 12

/** The colour class of a type: a fixed one for the known types, a stable one for any other. */
export function colourOf(type: string): string {
  if (type === DROPPED) return 'ph-dropped'
  const known = KNOWN.indexOf(type)
  if (known >= 0) return `ph-c${known % PALETTE}`
  let hash = 0
  for (const ch of type) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return `ph-c${hash % PALETTE}`
}

export const wordsFor = (type: string) => TYPE_WORDS[type] ?? type.toLowerCase().replace(/_/g, ' ')

export function TypeMark({ type, children }: { type: string; children?: unknown }) {
  return (
    <mark class={`ph ${colourOf(type)}`} data-type={type} title={wordsFor(type)}>
      {children ?? type}
    </mark>
  )
}

export function ScrubbedText({ text }: { text: string }) {
  return (
    <pre class="scrubbed" id="redaction-scrubbed-text" data-scrubbed="">
      {piecesOf(text).map((p) => ('token' in p ? <TypeMark type={p.type}>{p.token}</TypeMark> : p.text))}
    </pre>
  )
}

/** Each type found, its colour, its name in words and how many distinct placeholders it has. */
export function Legend({ text }: { text: string }) {
  const tokens = new Map<string, Set<string>>()
  for (const p of piecesOf(text)) {
    if (!('token' in p)) continue
    const set = tokens.get(p.type) ?? new Set<string>()
    set.add(p.token)
    tokens.set(p.type, set)
  }
  if (tokens.size === 0) return <p class="muted">Nothing was found to hide in this text.</p>
  const sorted = [...tokens].sort(([a], [b]) => KNOWN.indexOf(a) - KNOWN.indexOf(b) || a.localeCompare(b))
  return (
    <ul class="ph-legend" aria-label="What the colours stand for">
      {sorted.map(([type, set]) => (
        <li data-legend={type}>
          <TypeMark type={type} /> {wordsFor(type)}
          {type === DROPPED ? '' : ` × ${set.size}`}
        </li>
      ))}
    </ul>
  )
}
