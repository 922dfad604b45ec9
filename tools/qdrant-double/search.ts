/**
 * Scoring and fusion as Qdrant documents them. Dense: `Cosine` (vectors normalised on write, so the
 * score is the dot product of unit vectors), `Dot`, `Euclid` and `Manhattan` (distances: smaller is
 * better). Sparse: the dot product over shared indices; points sharing none are not candidates; with
 * `modifier: idf` each query weight is multiplied by ln(1 + (N − n + 0.5) / (n + 0.5)). Fusion: RRF
 * adds 1 / (k + position) per prefetch (position from 0, k = 2 unless given); DBSF normalises each
 * prefetch's scores to [0, 1] between mean ± 3 standard deviations (sample), one result scoring
 * 0.5, then sums.
 */
import type { SparseVector } from './schemas.ts'

export type DistanceName = 'Cosine' | 'Euclid' | 'Dot' | 'Manhattan'

export interface Hit {
  key: string
  score: number
}

export const smallerIsBetter = (d: DistanceName) => d === 'Euclid' || d === 'Manhattan'

export function normalise(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0))
  return norm === 0 ? v : v.map((x) => x / norm)
}

export function denseScore(distance: DistanceName, query: number[], stored: number[]): number {
  switch (distance) {
    case 'Cosine':
    case 'Dot':
      return query.reduce((s, x, i) => s + x * (stored[i] ?? 0), 0)
    case 'Euclid':
      return Math.sqrt(query.reduce((s, x, i) => s + (x - (stored[i] ?? 0)) ** 2, 0))
    case 'Manhattan':
      return query.reduce((s, x, i) => s + Math.abs(x - (stored[i] ?? 0)), 0)
  }
}

/** The sparse score, or null when the two vectors share no index. */
export function sparseScore(query: SparseVector, stored: SparseVector, weight: (index: number) => number) {
  const values = new Map<number, number>()
  stored.indices.forEach((index, i) => {
    values.set(index, stored.values[i] ?? 0)
  })
  let score = 0
  let shared = false
  query.indices.forEach((index, i) => {
    const v = values.get(index)
    if (v === undefined) return
    shared = true
    score += (query.values[i] ?? 0) * weight(index) * v
  })
  return shared ? score : null
}

export function idfWeight(total: number, withIndex: number): number {
  return Math.log(1 + (total - withIndex + 0.5) / (withIndex + 0.5))
}

/**
 * Best first. Qdrant leaves the order of equal scores unspecified; the double puts them in reverse
 * key order on purpose, so a client that needs a stable order must sort ties itself.
 */
export function ranked(hits: Hit[], ascending = false): Hit[] {
  return hits.sort((a, b) => (ascending ? a.score - b.score : b.score - a.score) || (a.key < b.key ? 1 : -1))
}

export function rrf(legs: Hit[][], k: number): Hit[] {
  const scores = new Map<string, number>()
  for (const leg of legs)
    leg.forEach((h, pos) => {
      scores.set(h.key, (scores.get(h.key) ?? 0) + 1 / (pos + k))
    })
  return ranked([...scores].map(([key, score]) => ({ key, score })))
}

export function dbsf(legs: Hit[][]): Hit[] {
  const scores = new Map<string, number>()
  for (const leg of legs) {
    for (const h of distributionNormalised(leg)) scores.set(h.key, (scores.get(h.key) ?? 0) + h.score)
  }
  return ranked([...scores].map(([key, score]) => ({ key, score })))
}

function distributionNormalised(leg: Hit[]): Hit[] {
  if (leg.length === 1) return [{ key: leg[0]!.key, score: 0.5 }]
  const n = leg.length
  const mean = leg.reduce((s, h) => s + h.score, 0) / n
  const sd = Math.sqrt(leg.reduce((s, h) => s + (h.score - mean) ** 2, 0) / (n - 1))
  const min = mean - 3 * sd
  const max = mean + 3 * sd
  return leg.map((h) => ({ key: h.key, score: min === max ? 0.5 : (h.score - min) / (max - min) }))
}
