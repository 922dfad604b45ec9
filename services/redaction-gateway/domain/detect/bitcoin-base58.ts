import { sha256 } from '@noble/hashes/sha2.js'
import { createBase58check } from '@scure/base'
import { tier2Hit } from './bitcoin-hit.ts'
import { tier1Hit } from './tier1-scan.ts'
import type { Detection } from './types.ts'

/**
 * Base58check material: WIF private keys and extended private keys (Tier-1), P2PKH/P2SH addresses and
 * extended public keys (Tier-2). The checksum decides the type; a key-shaped token whose checksum fails
 * (a typo, a garbled transcript) is still treated as what its shape says, with a lower score.
 */

const base58check = createBase58check(sha256)
const TOKEN = /(?<![A-Za-z0-9])[1-9A-HJ-NP-Za-km-z]{25,120}(?![A-Za-z0-9])/g
/** A key origin right before an extended key: [d34db33f/84h/0h/0h] */
const ORIGIN_BEFORE = /\[[0-9a-fA-F]{8}(?:\/\d+['hH]?)*\]$/

const ADDRESS_VERSIONS = new Set([0x00, 0x05, 0x6f, 0xc4])
const WIF_VERSIONS = new Set([0x80, 0xef])
const EXTENDED_PRIVATE_SHAPE = /^[xyztuvXYZTUV]prv[1-9A-HJ-NP-Za-km-z]{100,112}$/
const EXTENDED_PUBLIC_SHAPE = /^[xyztuvXYZTUV]pub[1-9A-HJ-NP-Za-km-z]{100,112}$/
const WIF_SHAPE = /^(?:[59][1-9A-HJ-NP-Za-km-z]{50}|[KLc][1-9A-HJ-NP-Za-km-z]{51})$/
const ADDRESS_SHAPE = /^[123mn][1-9A-HJ-NP-Za-km-z]{25,34}$/

function decode(token: string): Uint8Array | null {
  try {
    return base58check.decode(token)
  } catch {
    return null
  }
}

function classify(text: string, start: number, token: string): Detection | null {
  const end = start + token.length
  const bytes = decode(token)
  if (bytes) {
    const version = bytes[0] as number
    if (bytes.length === 21 && ADDRESS_VERSIONS.has(version))
      return tier2Hit(text, start, end, 'BTC_ADDR', 'btc-base58', 0.99)
    const wif = bytes.length === 33 || (bytes.length === 34 && bytes[33] === 0x01)
    if (wif && WIF_VERSIONS.has(version)) return tier1Hit(text, start, end, 'private_key', 'btc-wif', 0.99)
    // BIP32 serialisation: 4 version bytes, then depth, fingerprint, index, chain code; byte 45 is 0x00
    // before a private key and 0x02/0x03 for a public one, whatever the version bytes say.
    if (bytes.length === 78) {
      if (bytes[45] === 0x00) return tier1Hit(text, start, end, 'private_key', 'btc-xprv', 0.99)
      return extended(text, start, end, 'btc-xpub', 0.99)
    }
  }
  if (EXTENDED_PRIVATE_SHAPE.test(token)) return tier1Hit(text, start, end, 'private_key', 'btc-xprv', 0.7)
  if (WIF_SHAPE.test(token)) return tier1Hit(text, start, end, 'private_key', 'btc-wif', 0.6)
  if (EXTENDED_PUBLIC_SHAPE.test(token)) return extended(text, start, end, 'btc-xpub', 0.7)
  if (ADDRESS_SHAPE.test(token) && /\d/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token)) {
    return tier2Hit(text, start, end, 'BTC_ADDR', 'btc-base58', 0.5)
  }
  return null
}

function extended(text: string, start: number, end: number, detector: string, score: number): Detection {
  const origin = ORIGIN_BEFORE.exec(text.slice(Math.max(0, start - 80), start))
  const from = origin ? start - origin[0].length : start
  return tier2Hit(text, from, end, 'BTC_XPUB', detector, score)
}

export function detectBase58(text: string): Detection[] {
  const hits: Detection[] = []
  for (const m of text.matchAll(TOKEN)) {
    const hit = classify(text, m.index, m[0])
    if (hit) hits.push(hit)
  }
  return hits
}
