/**
 * Ordering Qdrant's answers: equal scores by id (Qdrant leaves their order open), and RRF done on
 * our side for a k an older Qdrant cannot take (the same formula as Qdrant's: a point at position p,
 * from 0, of a leg adds 1 / (k + p)).
 */
import type { Schemas } from '@qdrant/js-client-rest'
import type { CollectionSpec, QuerySpec, ScoredPoint } from '../domain/store/ports.ts'
import { fusionQuery, type QueryBody, queryBody } from './qdrant-store-wire.ts'

/** Ties at the page edge are settled by fetching a little further, a bounded number of times. */
const TIE_ROUNDS = 3

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
async function rrfOnOurSide(
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

interface RankedQuery {
  spec: CollectionSpec
  q: QuerySpec
  filter: Schemas['Filter'] | undefined
  /** Whether the server takes `{rrf: {k}}` (Qdrant ≥ 1.16). */
  parametrisedRrf: boolean
}

/**
 * Runs a query and returns the page `offset … offset + limit` in our order. Qdrant is asked for the
 * first `offset + limit` hits and the page is cut here, so equal scores across the page edge are
 * ordered by id too.
 */
export async function rankedQuery(
  { spec, q, filter, parametrisedRrf }: RankedQuery,
  send: (body: QueryBody) => Promise<ScoredPoint[]>,
): Promise<ScoredPoint[]> {
  const wanted = q.offset + q.limit
  const ascending = q.mode === 'dense' && spec.dense.distance === 'Euclid'
  const fusion = q.mode === 'hybrid' ? fusionQuery(q, parametrisedRrf) : null
  // One past the page: when that one ties with the last kept, more may tie beyond it.
  let fetch = wanted + 1
  for (let round = 0; ; round++) {
    const n = fetch
    const hits =
      q.mode === 'hybrid' && fusion === null
        ? await rrfOnOurSide(q, n, (mode) =>
            send(queryBody({ ...q, mode }, filter, Math.max(q.prefetchLimit, n), null)),
          )
        : await send(queryBody(q, filter, n, fusion))
    const sorted = rankedHits(hits, ascending)
    const edge = sorted[wanted - 1]
    // More may tie with the last hit kept: fetch further so the id order among them is the true one.
    const tiedPastEdge = edge && hits.length === n && sorted[n - 1]?.score === edge.score
    if (!tiedPastEdge || round >= TIE_ROUNDS) return sorted.slice(q.offset, wanted)
    fetch *= 2
  }
}
