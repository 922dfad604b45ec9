/**
 * (a) What the hybrid query route adds over the store's own call. The service is built in this
 * process (`buildApp` with the embedded store, the HTTP embedder and reranker), and the route is
 * called through `app.request` — JSON parsing, validation, the query plan, fusion bookkeeping,
 * serialising, no socket. The baseline is the store's `query` with the same vectors and the same
 * spec the route builds (prefetch 4 × limit, RRF k = 60), measured in turn with the route.
 *
 * The target figure sends the vectors in the request (`dense` + `sparse`), so no embedding call is
 * made and route − store is the service's own work. The same query as text is measured too: that
 * route embeds it first, and the embedder's call alone is its baseline.
 */
import type { QuerySpec, SparseVector, VectorStore } from '../services/vector-search/domain/store/ports.ts'
import type { ServiceApp } from '../shared/service.ts'
import { inTurn, percentile, type Timing, timingOf } from './search-timing.ts'

export interface QueryVectors {
  text: string
  dense: number[]
  sparse: SparseVector
}

export interface QueryOverhead {
  queries: number
  route: Timing
  store: Timing
  routeText: Timing
  embed: Timing
  /** route p50 − store p50 (the target figure), the median of the per-query differences, and the same in CPU time. */
  overheadP50Ms: number
  pairedOverheadP50Ms: number
  cpuOverheadP50Ms: number
  /** route-with-text p50 − embed p50 − store p50. */
  textOverheadP50Ms: number
  /** The route and the store answered the same ids for every query (same work compared). */
  sameAnswers: boolean
}

const LIMIT = 10

export const storeSpec = (q: QueryVectors): QuerySpec => ({
  mode: 'hybrid',
  dense: q.dense,
  sparse: q.sparse,
  prefetchLimit: 4 * LIMIT,
  fusion: { kind: 'rrf', k: 60 },
  limit: LIMIT,
  offset: 0,
  withPayload: true,
})

export async function measureQueryOverhead(options: {
  app: ServiceApp
  store: VectorStore
  collection: string
  queries: QueryVectors[]
  embed: (text: string) => Promise<unknown>
  rounds: number
}): Promise<QueryOverhead> {
  const { app, store, collection, queries } = options
  const post = async (body: object) => {
    const res = await app.request(`/api/search/collections/${collection}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (res.status !== 200) throw new Error(`query route answered ${res.status}: ${await res.text()}`)
    return (await res.json()) as { results: { id: string }[] }
  }
  const vectorBody = (q: QueryVectors) => ({ dense: q.dense, sparse: q.sparse, mode: 'hybrid', limit: LIMIT })
  let sameAnswers = true
  for (const q of queries) {
    const viaRoute = (await post(vectorBody(q))).results.map((r) => r.id)
    const direct = (await store.query({ collection }, storeSpec(q))).map((r) => r.id)
    if (viaRoute.join() !== direct.join()) sameAnswers = false
  }
  const vectors = await inTurn(
    queries,
    { route: (q) => post(vectorBody(q)), store: (q) => store.query({ collection }, storeSpec(q)) },
    options.rounds,
  )
  const text = await inTurn(
    queries,
    {
      routeText: (q) => post({ query: q.text, mode: 'hybrid', limit: LIMIT }),
      embed: (q) => options.embed(q.text),
    },
    Math.max(1, Math.floor(options.rounds / 2)),
  )
  const [route, storeT, routeText, embed] = [
    timingOf(vectors.route!),
    timingOf(vectors.store!),
    timingOf(text.routeText!),
    timingOf(text.embed!),
  ]
  const paired = vectors.route!.wallMs.map((ms, i) => ms - vectors.store!.wallMs[i]!)
  return {
    queries: queries.length,
    route,
    store: storeT,
    routeText,
    embed,
    overheadP50Ms: route.p50Ms - storeT.p50Ms,
    pairedOverheadP50Ms: percentile(paired, 0.5),
    cpuOverheadP50Ms: route.cpuP50Ms - storeT.cpuP50Ms,
    textOverheadP50Ms: routeText.p50Ms - embed.p50Ms - storeT.p50Ms,
    sameAnswers,
  }
}
