import { bech32, bech32m } from '@scure/base'
import { tier2Hit } from './bitcoin-hit.ts'
import { tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/**
 * Bech32 material: segwit addresses (BIP173 v0 / BIP350 v1+, bc/tb/bcrt, either case, checksum
 * verified), Lightning invoices (BOLT11, no length limit), BOLT12 offers (bech32 without checksum),
 * LNURL, and nostr keys (nsec Tier-1, npub Tier-2 HANDLE — a public identity).
 */

const DATA = '[ac-hj-np-z02-9]'
const SEGWIT = new RegExp(`(?<![A-Za-z0-9])(?:bc|tb|bcrt)1${DATA}{8,87}(?![A-Za-z0-9])`, 'gi')
const INVOICE = new RegExp(
  `(?<![A-Za-z0-9])ln(?:bcrt|bc|tbs|tb|sb)[0-9a-z]*1${DATA}{20,}(?![A-Za-z0-9])`,
  'gi',
)
const OFFER = new RegExp(`(?<![A-Za-z0-9])ln[oir]1(?:${DATA}|\\+\\s*)+${DATA}(?![A-Za-z0-9])`, 'gi')
const LNURL = new RegExp(`(?<![A-Za-z0-9])lnurl1${DATA}{20,}(?![A-Za-z0-9])`, 'gi')
const NOSTR = new RegExp(`(?<![A-Za-z0-9])n(?:sec|pub)1${DATA}{20,}(?![A-Za-z0-9])`, 'gi')

function mixedCase(token: string): boolean {
  return token !== token.toLowerCase() && token !== token.toUpperCase()
}

/** True when the token is a checksum-valid segwit address of a known witness version and size. */
function validSegwit(token: string): boolean {
  if (mixedCase(token)) return false
  const lower = token.toLowerCase()
  const v0 = bech32.decodeUnsafe(lower)
  const words = v0?.words ?? bech32m.decodeUnsafe(lower)?.words
  if (!words || words.length === 0) return false
  const version = words[0] as number
  if ((version === 0) !== Boolean(v0) || version > 16) return false
  const program = bech32.fromWordsUnsafe(words.slice(1))
  if (!program) return false
  return version === 0
    ? program.length === 20 || program.length === 32
    : program.length >= 2 && program.length <= 40
}

function segwitHits(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(SEGWIT)) {
    const token = m[0]
    const end = m.index + token.length
    if (validSegwit(token)) hits.push(tier2Hit(text, m.index, end, 'BTC_ADDR', 'btc-bech32', 0.99))
    else if (token.length >= 40 && /^(?:bc|tb|bcrt)1[qp]/i.test(token)) {
      // The address shape with a bad checksum or a lost character (a typo, a transcript): still
      // somebody's address, at a lower score.
      hits.push(tier2Hit(text, m.index, end, 'BTC_ADDR', 'btc-bech32', 0.5))
    }
  }
  return hits
}

function checksumOk(token: string): boolean {
  if (mixedCase(token)) return false
  return Boolean(bech32.decodeUnsafe(token.toLowerCase(), false))
}

export function detectBech32(text: string): Detection[] {
  const hits = segwitHits(text)
  for (const m of text.matchAll(INVOICE)) {
    const score = checksumOk(m[0]) ? 0.99 : 0.8
    hits.push(tier2Hit(text, m.index, m.index + m[0].length, 'LN_INVOICE', 'ln-invoice', score))
  }
  for (const m of text.matchAll(OFFER)) {
    hits.push(tier2Hit(text, m.index, m.index + m[0].length, 'LN_INVOICE', 'ln-offer', 0.9))
  }
  for (const m of text.matchAll(LNURL)) {
    const score = checksumOk(m[0]) ? 0.99 : 0.8
    hits.push(tier2Hit(text, m.index, m.index + m[0].length, 'LNURL', 'lnurl', score))
  }
  for (const m of text.matchAll(NOSTR)) {
    const end = m.index + m[0].length
    const score = checksumOk(m[0]) ? 0.99 : 0.7
    if (/^nsec/i.test(m[0])) hits.push(tier1Hit(text, m.index, end, 'private_key', 'nostr-nsec', score))
    else hits.push(tier2Hit(text, m.index, end, 'HANDLE', 'nostr-npub', score))
  }
  return hits
}
