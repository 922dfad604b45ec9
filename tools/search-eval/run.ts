/**
 * One evaluation: the labelled set ingested into a fresh collection through the service's routes,
 * every query asked in every mode, each ranking scored against the judgements. Modes that the
 * service refuses (a reranker not configured, say) are reported with their error, not fatal.
 */
import type { QueryRequest } from '../../shared/contracts/vector-search.ts'
import type { SearchClient } from './client.ts'
import { type EvalSet, passageDocument, type QueryKind } from './dataset.ts'
import { documentRanking, meanScores, type Scores, scoreQuery } from './metrics.ts'

export interface Mode {
  name: string
  request: Partial<QueryRequest>
}

/** Every leg returns enough for recall@50; the hybrid modes fuse 4× that (the service's default). */
export const RESULT_LIMIT = 50

export const MODES: Mode[] = [
  { name: 'dense', request: { mode: 'dense' } },
  { name: 'sparse', request: { mode: 'sparse' } },
  { name: 'hybrid rrf(k=60)', request: { mode: 'hybrid', fusion: { rrf: { k: 60 } } } },
  { name: 'hybrid dbsf', request: { mode: 'hybrid', fusion: 'dbsf' } },
  {
    name: 'hybrid rrf + rerank top 50',
    request: { mode: 'hybrid', fusion: { rrf: { k: 60 } }, rerank: { candidates: 50 } },
  },
]

export type MeanScores = ReturnType<typeof meanScores>

export interface ModeResult {
  mode: string
  request: Partial<QueryRequest>
  /** Null when the service refused the mode; `error` says why. */
  all: MeanScores | null
  byKind: Partial<Record<QueryKind, MeanScores>>
  /** The service's own `timings_ms.total`, and the round trip seen here, p50 over the queries. */
  serviceP50Ms: number
  roundTripP50Ms: number
  perQuery: { query: string; kind: QueryKind; scores: Scores; top10: string[] }[]
  error?: string
}

export interface EvalRun {
  collection: string
  passages: number
  queries: number
  chunks: number
  ingestSeconds: number
  modes: ModeResult[]
}

const INGEST_BATCH = 50

const p50 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length === 0 ? Number.NaN : sorted[Math.ceil(sorted.length / 2) - 1]!
}

async function ingestSet(client: SearchClient, collection: string, set: EvalSet, log: (s: string) => void) {
  let chunks = 0
  for (let i = 0; i < set.passages.length; i += INGEST_BATCH) {
    const batch = set.passages.slice(i, i + INGEST_BATCH).map((p) => ({
      id: p._id,
      text: passageDocument(p),
      metadata: { source: 'search-eval' },
    }))
    chunks += (await client.ingest(collection, batch)).chunks
    log(`ingested ${Math.min(i + INGEST_BATCH, set.passages.length)}/${set.passages.length} passages`)
  }
  return chunks
}

async function runMode(
  client: SearchClient,
  collection: string,
  set: EvalSet,
  mode: Mode,
): Promise<ModeResult> {
  const perQuery: ModeResult['perQuery'] = []
  const service: number[] = []
  const roundTrip: number[] = []
  const result = (error?: string): ModeResult => {
    const byKind: ModeResult['byKind'] = {}
    for (const kind of ['entity', 'paraphrase', 'topical'] as const) {
      const rows = perQuery.filter((q) => q.kind === kind)
      if (rows.length > 0) byKind[kind] = meanScores(rows.map((q) => q.scores))
    }
    return {
      mode: mode.name,
      request: mode.request,
      all: error ? null : meanScores(perQuery.map((q) => q.scores)),
      byKind: error ? {} : byKind,
      serviceP50Ms: p50(service),
      roundTripP50Ms: p50(roundTrip),
      perQuery,
      ...(error ? { error } : {}),
    }
  }
  for (const q of set.queries) {
    const started = performance.now()
    let answer: Awaited<ReturnType<SearchClient['query']>>
    try {
      answer = await client.query(collection, { ...mode.request, query: q.text, limit: RESULT_LIMIT })
    } catch (err) {
      return result((err as Error).message)
    }
    roundTrip.push(performance.now() - started)
    service.push(answer.timings_ms.total)
    const ranking = documentRanking(answer.results.map((hit) => String(hit.payload?.doc_id ?? hit.id)))
    const judgements = set.qrels.get(q._id) ?? new Map<string, number>()
    perQuery.push({
      query: q._id,
      kind: q.metadata.kind,
      scores: scoreQuery(ranking, judgements),
      top10: ranking.slice(0, 10),
    })
  }
  return result()
}

export async function runEval(
  client: SearchClient,
  set: EvalSet,
  options: { collection: string; modes?: Mode[]; keep?: boolean; log?: (line: string) => void },
): Promise<EvalRun> {
  const log = options.log ?? (() => {})
  await client.createCollection(options.collection)
  try {
    const started = performance.now()
    const chunks = await ingestSet(client, options.collection, set, log)
    const ingestSeconds = (performance.now() - started) / 1000
    const modes: ModeResult[] = []
    for (const mode of options.modes ?? MODES) {
      modes.push(await runMode(client, options.collection, set, mode))
      log(`${mode.name}: done`)
    }
    return {
      collection: options.collection,
      passages: set.passages.length,
      queries: set.queries.length,
      chunks,
      ingestSeconds,
      modes,
    }
  } finally {
    if (!options.keep) await client.deleteCollection(options.collection)
  }
}
