/**
 * Ordering Qdrant's answers: equal scores by id (Qdrant leaves their order open), and RRF done on
 * our side for a k an older Qdrant cannot take (the same formula as Qdrant's: a point at position p,
 * from 0, of a leg adds 1 / (k + p)).
 */
import type { Schemas } from '@qdrant/js-client-rest'
import type { QuerySpec, ScoredPoint } from '../domain/store/ports.ts'

export function toScored(p: Schemas['ScoredPoint'], withPayload: boolean): ScoredPoint {
  const hit: ScoredPoint = { id: String(p.id), score: p.score }
  if (withPayload) hit.payload = (p.payload ?? {}) as Record<string, unknown>
  return hit
}

/** Best first (highest score, or lowest for a distance), equal scores by id ascending. */
export function rankedHits(hits: ScoredPoint[], ascending: boolean): ScoredPoint[] {
  return [...hits].sort(
    (a, b) => (ascending ? a.score - b.score : b.score - a.score) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )
}

/** Fetches the dense and sparse legs apart and fuses them with RRF at the query's k; at most `fetch` hits. */
export async function rrfOnOurSide(
  q: QuerySpec,
  fetch: number,
  leg: (mode: 'dense' | 'sparse') => Promise<ScoredPoint[]>,
): Promise<ScoredPoint[]> {
  const k = q.fusion.kind === 'rrf' ? q.fusion.k : 2
  const legs = await Promise.all([leg('dense'), leg('sparse')])
  const fused = new Map<string, ScoredPoint>()
  for (const hits of legs) {
    rankedHits(hits, false).forEach((h, pos) => {
      const seen = fused.get(h.id)
      fused.set(h.id, { ...h, ...seen, score: (seen?.score ?? 0) + 1 / (k + pos) })
    })
  }
  return rankedHits([...fused.values()], false).slice(0, fetch)
}
