/**
 * Fusion of a query's legs, with Qdrant's exact formulas so both stores rank alike:
 * - RRF: a point at zero-based position `pos` of a leg adds `1 / (k + pos)` (Qdrant's default k is 2);
 * - DBSF: each leg's scores mapped by its mean ± 3σ (sample σ) to `(s − (μ − 3σ)) / 6σ`, then summed;
 *   a leg of one point, or of equal scores, gives 0.5 each; a leg where smaller is better (Euclid) is
 *   mirrored.
 * Ties are broken by id ascending, so a page boundary never depends on insertion order.
 */
import type { Fusion } from './ports.ts'

export interface LegHit {
  /** Whatever identifies the point inside the store (a slot, an id). */
  key: number
  id: string
  score: number
}

export interface Leg {
  hits: LegHit[]
  /** Euclid distances: smaller is better. */
  smallerIsBetter?: boolean
}

export function byScoreThenId(a: { score: number; id: string }, b: { score: number; id: string }): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

function normalised(leg: Leg): number[] {
  const scores = leg.hits.map((h) => h.score)
  const n = scores.length
  if (n < 2) return scores.map(() => 0.5)
  const mean = scores.reduce((s, x) => s + x, 0) / n
  const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1))
  const low = mean - 3 * sd
  const high = mean + 3 * sd
  if (low === high) return scores.map(() => 0.5)
  return scores.map((x) => (leg.smallerIsBetter ? (high - x) / (high - low) : (x - low) / (high - low)))
}

export function fuse(legs: Leg[], fusion: Fusion): LegHit[] {
  const merged = new Map<number, LegHit>()
  const add = (hit: LegHit, score: number) => {
    const seen = merged.get(hit.key)
    if (seen) seen.score += score
    else merged.set(hit.key, { key: hit.key, id: hit.id, score })
  }
  for (const leg of legs) {
    if (fusion.kind === 'rrf') leg.hits.forEach((hit, pos) => void add(hit, 1 / (fusion.k + pos)))
    else {
      const scores = normalised(leg)
      leg.hits.forEach((hit, i) => void add(hit, scores[i]!))
    }
  }
  return [...merged.values()].sort(byScoreThenId)
}
