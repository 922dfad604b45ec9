/**
 * The Reranker (domain/embed/ports.ts): bge-reranker-v2-m3's raw relevance logits, one per document in
 * document order, whatever the server's shape (`RERANK_API`):
 *
 * - `cohere` — the Cohere/Jina `POST /v1/rerank {query, documents}` → `results[{index,
 *   relevance_score}]` (the FastAPI bge-m3 servers, Infinity); the scores are taken as the server gives them.
 * - `vllm` — the same route, asking for raw scores (`use_activation: false`; vLLM applies a sigmoid
 *   unless told not to).
 * - `tei` — text-embeddings-inference's `POST /rerank {query, texts, raw_scores: true}` → `[{index, score}]`.
 * - `auto` — vLLM when its `/v1/models` says `owned_by: "vllm"`, else Cohere/Jina, falling back to TEI
 *   when `/v1/rerank` does not exist; found once and remembered.
 *
 * Documents go in batches like the embedder's (a cross-encoder scores each pair alone, so batching
 * changes nothing in the scores).
 */
import type { Dispatcher } from 'undici'
import { EmbedderError, type Reranker } from '../domain/embed/ports.ts'
import { type BatchLimit, runBatches } from './embedder-batches.ts'
import { malformed } from './embedder-normalise.ts'
import { getJson, postJson, type Wire } from './embedder-wire.ts'

export type RerankApi = 'cohere' | 'vllm' | 'tei'

export interface RerankerOptions {
  baseUrl: string | null
  api: RerankApi | 'auto'
  model: string
  batch: number
  concurrency: number
  timeoutMs: number
  dispatcher?: Dispatcher
}

export interface HttpReranker extends Reranker {
  api(): RerankApi | null
}

function request(api: RerankApi, model: string, query: string, documents: string[]) {
  if (api === 'tei') return { path: '/rerank', body: { query, texts: documents, raw_scores: true } }
  const body = { model, query, documents, return_documents: false }
  return { path: '/v1/rerank', body: api === 'vllm' ? { ...body, use_activation: false } : body }
}

/** The scores in document order, each index answered exactly once. */
function scoresOf(api: RerankApi, answer: unknown, count: number): number[] {
  const list = api === 'tei' ? answer : (answer as { results?: unknown } | null)?.results
  if (!Array.isArray(list) || list.length !== count)
    throw malformed(`no score for each of ${count} documents`)
  const scores = new Array<number>(count)
  for (const item of list) {
    const r = item as { index?: unknown; score?: unknown; relevance_score?: unknown } | null
    const index = r?.index
    const score = api === 'tei' ? r?.score : r?.relevance_score
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= count ||
      index in scores
    )
      throw malformed('rerank results with a missing or repeated index')
    if (typeof score !== 'number' || !Number.isFinite(score))
      throw malformed('a rerank score that is not a number')
    scores[index] = score
  }
  return scores
}

async function detect(wire: Wire): Promise<RerankApi> {
  try {
    const models = (await getJson(wire, '/v1/models')) as { data?: unknown }
    if (
      Array.isArray(models?.data) &&
      models.data.some((m) => (m as { owned_by?: unknown })?.owned_by === 'vllm')
    )
      return 'vllm'
  } catch (err) {
    if (err instanceof EmbedderError && (err.code === 'unavailable' || err.code === 'timeout')) throw err
  }
  try {
    await postJson(wire, '/v1/rerank', { query: 'probe', documents: ['probe'] })
    return 'cohere'
  } catch (err) {
    if (err instanceof EmbedderError && err.code === 'malformed') return 'tei'
    throw err
  }
}

export function createReranker(options: RerankerOptions): HttpReranker {
  const wire: Wire = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  }
  const limit: BatchLimit = { size: options.batch }
  let known: RerankApi | null = options.api === 'auto' ? null : options.api
  let detecting: Promise<RerankApi> | null = null
  const api = async () => {
    if (known) return known
    detecting ??= detect(wire).then(
      (found) => (known = found),
      (err: unknown) => {
        detecting = null
        throw err
      },
    )
    return detecting
  }
  return {
    model: options.model,
    api: () => known,
    async score(query, documents, signal) {
      if (documents.length === 0) return []
      const shape = await api()
      return runBatches<string, number>(
        documents,
        { limit, concurrency: options.concurrency, signal },
        async (slice, batchSignal) => {
          const { path, body } = request(shape, options.model, query, slice)
          return scoresOf(shape, await postJson(wire, path, body, batchSignal), slice.length)
        },
      )
    },
  }
}
