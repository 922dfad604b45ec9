import { tier2Hit } from './bitcoin-hit.ts'
import { tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/**
 * Hex and structured bitcoin material: txids and block hashes (exactly 64 hex; a 40-hex git sha is not
 * one), raw hex private keys (64 hex after a private-key label: Tier-1), Lightning node pubkeys (66 hex
 * from 02/03: Tier-2 MISC), output descriptors (BTC_DESCRIPTOR, or Tier-1 when they hold a private key),
 * and PSBTs (base64 `cHNidP8…`: Tier-2 MISC — a PSBT carries transaction data, not private keys).
 */

const HEX64 = /(?<![0-9A-Za-z])[0-9a-fA-F]{64}(?![0-9A-Za-z])/g
const NODE_PUBKEY = /(?<![0-9A-Za-z])0[23][0-9a-fA-F]{64}(?![0-9A-Za-z])/g
const PRIVATE_LABEL = /\b(?:priv(?:ate)?[ _-]?key|privkey|secret[ _-]?key|seed|entropy)\b[^A-Za-z0-9]{0,12}$/i
const PSBT = /(?<![A-Za-z0-9+/])cHNidP8[A-Za-z0-9+/]{10,}={0,2}/g
const DESCRIPTOR_START =
  /(?<![A-Za-z0-9_])(?:sh|wsh|wpkh|pkh|pk|tr|rawtr|combo|addr|raw|multi|sortedmulti|multi_a|sortedmulti_a)\(/g
const DESCRIPTOR_KEY =
  /[a-zA-Z]pub[1-9A-HJ-NP-Za-km-z]{20,}|[a-zA-Z]prv|[0-9a-fA-F]{64}|\[[0-9a-fA-F]{8}|[13]\w{25,}|1[ac-hj-np-z02-9]{8,}/
const DESCRIPTOR_PRIVATE =
  /[a-zA-Z]prv[1-9A-HJ-NP-Za-km-z]{20,}|(?<![A-Za-z0-9])[59KLc][1-9A-HJ-NP-Za-km-z]{50,51}(?![A-Za-z0-9])/

function hexHits(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(HEX64)) {
    const end = m.index + m[0].length
    if (PRIVATE_LABEL.test(text.slice(Math.max(0, m.index - 40), m.index))) {
      hits.push(tier1Hit(text, m.index, end, 'private_key', 'btc-hex-key', 0.9))
    } else hits.push(tier2Hit(text, m.index, end, 'BTC_TXID', 'btc-txid', 0.9))
  }
  for (const m of text.matchAll(NODE_PUBKEY)) {
    hits.push(tier2Hit(text, m.index, m.index + m[0].length, 'MISC', 'ln-node-pubkey', 0.9))
  }
  return hits
}

/** Far longer than a multisig of twenty keys; bounds the work on pathological nesting. */
const MAX_DESCRIPTOR = 8000

/** Each '(' mapped to its ')' on the same line, in one pass (descriptors never span lines). */
function matchingParens(text: string): Map<number, number> {
  const pairs = new Map<number, number>()
  let open: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '(') open.push(i)
    else if (ch === ')') {
      const from = open.pop()
      if (from !== undefined) pairs.set(from, i)
    } else if (ch === '\n') open = []
  }
  return pairs
}

function descriptorHits(text: string): Detection[] {
  const hits: Detection[] = []
  let coveredTo = -1
  let pairs: Map<number, number> | undefined
  for (const m of text.matchAll(DESCRIPTOR_START)) {
    if (m.index < coveredTo) continue
    pairs ??= matchingParens(text)
    const close = pairs.get(m.index + m[0].length - 1)
    if (close === undefined || close - m.index > MAX_DESCRIPTOR) continue
    const body = text.slice(m.index, close + 1)
    if (!DESCRIPTOR_KEY.test(body)) continue
    const checksum = /^#[a-z0-9]{8}(?![a-z0-9])/.exec(text.slice(close + 1))
    const end = close + 1 + (checksum ? checksum[0].length : 0)
    coveredTo = end
    if (DESCRIPTOR_PRIVATE.test(body))
      hits.push(tier1Hit(text, m.index, end, 'private_key', 'btc-descriptor', 0.95))
    else hits.push(tier2Hit(text, m.index, end, 'BTC_DESCRIPTOR', 'btc-descriptor', 0.95))
  }
  return hits
}

export function detectBitcoinMisc(text: string): Detection[] {
  const psbts = [...text.matchAll(PSBT)].map((m) =>
    tier2Hit(text, m.index, m.index + m[0].length, 'MISC', 'btc-psbt', 0.95),
  )
  return [...hexHits(text), ...descriptorHits(text), ...psbts]
}
