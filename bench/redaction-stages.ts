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
  /** CPU time of this process (user + system) per run: what the run cost, whatever else the machine did. */
  cpuP50Ms: number
  cpuP95Ms: number
  runs: number
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

function summary(wall: number[], cpu: number[]): Timing {
  wall.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  return {
    p50Ms: percentile(wall, 0.5),
    p95Ms: percentile(wall, 0.95),
    cpuP50Ms: percentile(cpu, 0.5),
    cpuP95Ms: percentile(cpu, 0.95),
    runs: wall.length,
  }
}

/**
 * Each of `fns` run `warmup` times unmeasured, then `runs` rounds of one run each, in turn, so a
 * burst of other work on the machine lands on all of them alike; wall and CPU time per run.
 */
export function timedTogether<K extends string>(fns: Record<K, () => unknown>, runs: number, warmup = 2) {
  const names = Object.keys(fns) as K[]
  for (let i = 0; i < warmup; i++) for (const name of names) fns[name]()
  const wall = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>
  const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      fns[name]()
      wall[name].push(performance.now() - t0)
      const c = process.cpuUsage(c0)
      cpu[name].push((c.user + c.system) / 1000)
    }
  }
  return Object.fromEntries(names.map((n) => [n, summary(wall[n], cpu[n])])) as Record<K, Timing>
}

export const timed = (fn: () => unknown, runs: number, warmup = 2): Timing =>
  timedTogether({ fn }, runs, warmup).fn

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
