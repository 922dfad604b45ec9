import type { Detection } from '../detect/types.ts'
import { bucketAmount } from './bucket-amount.ts'
import { bucketDate, type DateBucket } from './bucket-date.ts'
import { neutralise } from './neutralise.ts'
import { type TokenMap, tokenFor } from './tokens.ts'

export interface ScrubOptions {
  /** Coarsen instead of tokenising: amounts to ranges, dates to month or quarter (`true` = month). */
  bucket?: { amounts?: boolean; dates?: boolean | DateBucket }
  /** What a dropped Tier-1 span becomes; it is never tokenised and never reaches the map. */
  tier1Replacement?: string
}

export interface Scrubbed {
  text: string
  /** Distinct tokens written into this text, in order of first appearance. */
  tokensUsed: string[]
  tier1Dropped: number
  tier2Tokenized: number
  /** Each token written, where it stands in `text`, and the text it replaced (`surface`). */
  occurrences: Occurrence[]
}

export interface Occurrence {
  token: string
  start: number
  end: number
  surface: string
  /** The detection's value, which the token stands for (a propagated mention's is the full name). */
  value: string
}

export const TIER1_REPLACEMENT = '[REDACTED]'

/**
 * The text with token-shaped input neutralised, Tier-1 spans dropped and every other detection
 * replaced by its token (or its bucket). `detections` must be resolved (sorted, no overlaps);
 * an overlapping one is skipped rather than written twice.
 */
export function scrubText(
  text: string,
  detections: readonly Detection[],
  map: TokenMap,
  options: ScrubOptions = {},
): Scrubbed {
  const source = neutralise(text)
  const parts: string[] = []
  const used = new Set<string>()
  const occurrences: Occurrence[] = []
  let written = 0
  const write = (part: string) => {
    parts.push(part)
    written += part.length
  }
  let at = 0
  let tier1Dropped = 0
  let tier2Tokenized = 0
  for (const d of [...detections].sort((a, b) => a.start - b.start)) {
    if (d.start < at) continue
    write(source.slice(at, d.start))
    at = d.end
    if (d.tier === 1 || !d.type) {
      tier1Dropped++
      write(options.tier1Replacement ?? TIER1_REPLACEMENT)
      continue
    }
    const coarse = bucketed(d, options)
    if (coarse !== null) {
      write(coarse)
      continue
    }
    const token = tokenFor(map, d.type, d.value)
    used.add(token)
    tier2Tokenized++
    const surface = source.slice(d.start, d.end)
    occurrences.push({ token, start: written, end: written + token.length, surface, value: d.value })
    write(token)
  }
  write(source.slice(at))
  return { text: parts.join(''), tokensUsed: [...used], tier1Dropped, tier2Tokenized, occurrences }
}

export function bucketed(d: Detection, { bucket }: ScrubOptions): string | null {
  if (d.type === 'AMOUNT' && bucket?.amounts) return bucketAmount(d.value)
  if (d.type === 'DATE' && bucket?.dates)
    return bucketDate(d.value, bucket.dates === true ? 'month' : bucket.dates)
  return null
}
