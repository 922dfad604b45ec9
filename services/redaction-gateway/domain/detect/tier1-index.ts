import { detectBitcoin } from './bitcoin.ts'
import { detectSecrets } from './secrets.ts'
import { dedupe, detectTier1Numbers } from './tier1.ts'
import type { DetectContext, Detection } from './types.ts'

/**
 * The entry points the scrubber calls. `detectTier1` is everything that must be dropped or rejected
 * (numbers, secrets, private keys, seed phrases); `detectCrypto` is the Tier-2 bitcoin material to
 * tokenise. The two never return the same detection, so their union needs no de-duplication, but
 * their spans may overlap (an xpub inside a descriptor, card-like digits inside an IBAN): the
 * resolver settles those. `detectTier1AndCrypto` gives both from one pass over the bitcoin detectors.
 */
export function detectTier1AndCrypto(
  text: string,
  ctx: DetectContext = {},
): { tier1: Detection[]; crypto: Detection[] } {
  const bitcoin = detectBitcoin(text, ctx)
  const tier1 = dedupe([
    ...detectTier1Numbers(text, ctx),
    ...detectSecrets(text, ctx),
    ...bitcoin.filter((d) => d.tier === 1),
  ])
  return { tier1, crypto: bitcoin.filter((d) => d.tier === 2) }
}

export function detectTier1(text: string, ctx: DetectContext = {}): Detection[] {
  return detectTier1AndCrypto(text, ctx).tier1
}

export function detectCrypto(text: string, ctx: DetectContext = {}): Detection[] {
  return detectBitcoin(text, ctx).filter((d) => d.tier === 2)
}
