/**
 * The per-stage breakdown of one scrub: each detector, the resolver and the propagation timed on
 * their own over the same (neutralised) text, in the order the pipeline runs them, so the slow
 * parts are visible. The stages are called one by one here, not through the pipeline, so their
 * sum is close to but not exactly the pipeline's detect time.
 */
import { detectBitcoin } from '../services/redaction-gateway/domain/detect/bitcoin.ts'
import { detectKnown } from '../services/redaction-gateway/domain/detect/known.ts'
import { detectNames } from '../services/redaction-gateway/domain/detect/names.ts'
import { propagate } from '../services/redaction-gateway/domain/detect/propagate.ts'
import { resolve } from '../services/redaction-gateway/domain/detect/resolve.ts'
import { detectSecrets } from '../services/redaction-gateway/domain/detect/secrets.ts'
import { detectStructured } from '../services/redaction-gateway/domain/detect/structured.ts'
import { detectAddresses } from '../services/redaction-gateway/domain/detect/structured-address.ts'
import { detectAmounts } from '../services/redaction-gateway/domain/detect/structured-amounts.ts'
import {
  detectEmails,
  detectIps,
  detectPhones,
  detectUrls,
} from '../services/redaction-gateway/domain/detect/structured-contact.ts'
import { detectDates } from '../services/redaction-gateway/domain/detect/structured-dates.ts'
import { detectSpokenNumbers } from '../services/redaction-gateway/domain/detect/structured-spoken.ts'
import { detectTier1Numbers } from '../services/redaction-gateway/domain/detect/tier1.ts'
import type { DetectContext, Detection } from '../services/redaction-gateway/domain/detect/types.ts'
import { neutralise } from '../services/redaction-gateway/domain/placeholders/neutralise.ts'

export interface Timing {
  p50Ms: number
  p95Ms: number
  runs: number
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

/** `fn` run `warmup` times unmeasured, then `runs` times; its p50 and p95 in ms. */
export function timed(fn: () => unknown, runs: number, warmup = 2): Timing {
  for (let i = 0; i < warmup; i++) fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  return { p50Ms: percentile(samples, 0.5), p95Ms: percentile(samples, 0.95), runs }
}

export interface Stage extends Timing {
  stage: string
  /** What the stage found (for resolve and propagate: spans out). */
  found: number
}

/** Every stage over `text` (raw input) with `ctx`, `runs` times each. */
export function stageBreakdown(raw: string, ctx: DetectContext, runs: number): Stage[] {
  const text = neutralise(raw)
  const detectors: [string, () => Detection[]][] = [
    ['tier1 numbers (+ spoken)', () => detectTier1Numbers(text, ctx)],
    ['secrets', () => detectSecrets(text, ctx)],
    ['bitcoin', () => detectBitcoin(text, ctx)],
    ['known entities', () => detectKnown(text, ctx)],
    ['structured: emails', () => detectEmails(text)],
    ['structured: urls', () => detectUrls(text)],
    ['structured: phones', () => detectPhones(text)],
    ['structured: amounts', () => detectAmounts(text)],
    ['structured: dates', () => detectDates(text)],
    ['structured: addresses', () => detectAddresses(text)],
    ['structured: ips', () => detectIps(text)],
    ['structured: phones read aloud', () => detectSpokenNumbers(text, detectPhones)],
    ['structured (all, + digit runs)', () => detectStructured(text, ctx)],
    ['names', () => detectNames(text, ctx)],
  ]
  const stages: Stage[] = [{ stage: 'neutralise', found: 0, ...timed(() => neutralise(raw), runs) }]
  const all: Detection[] = []
  for (const [stage, fn] of detectors) {
    const found = fn()
    if (stage !== 'structured (all, + digit runs)') all.push(...found)
    stages.push({ stage, found: found.length, ...timed(fn, runs) })
  }
  const resolved = resolve(text, all)
  stages.push({ stage: 'resolve', found: resolved.length, ...timed(() => resolve(text, all), runs) })
  const propagated = propagate(text, resolved)
  stages.push({
    stage: 'propagate',
    found: propagated.length,
    ...timed(() => propagate(text, resolved), runs),
  })
  return stages
}
