import { detectBase58 } from './bitcoin-base58.ts'
import { detectBech32 } from './bitcoin-bech32.ts'
import { detectBitcoinMisc } from './bitcoin-misc.ts'
import { detectSeedPhrases } from './bitcoin-seed.ts'
import type { DetectContext, Detection } from './types.ts'

/**
 * Every bitcoin detector: Tier-1 private keys (WIF, xprv/tprv…, nsec, hex keys after a label, descriptors
 * holding one) and seed phrases; Tier-2 addresses, extended public keys, descriptors, Lightning
 * invoices/offers, LNURL, txids, node pubkeys, PSBTs and npubs.
 */
export function detectBitcoin(text: string, _ctx: DetectContext = {}): Detection[] {
  return [
    ...detectBase58(text),
    ...detectBech32(text),
    ...detectBitcoinMisc(text),
    ...detectSeedPhrases(text),
  ].sort((a, b) => a.start - b.start || b.end - a.end)
}
