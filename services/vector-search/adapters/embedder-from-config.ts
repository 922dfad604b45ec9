/** The embedder and reranker main.ts builds from the service's config (both talk to EMBED_URL's server). */
import type { Dispatcher } from 'undici'
import type { VectorConfig } from '../config.ts'
import { createEmbedder, type HttpEmbedder } from './embedder.ts'
import { createReranker, type HttpReranker } from './reranker.ts'

export type EmbedConfig = Pick<
  VectorConfig,
  | 'EMBED_URL'
  | 'EMBED_API'
  | 'EMBED_MODEL'
  | 'EMBED_BATCH'
  | 'EMBED_CONCURRENCY'
  | 'EMBED_TIMEOUT_MS'
  | 'RERANK_API'
  | 'RERANK_MODEL'
>

export function createEmbedModels(
  config: EmbedConfig,
  dispatcher?: Dispatcher,
): { embedder: HttpEmbedder; reranker: HttpReranker } {
  const common = {
    baseUrl: config.EMBED_URL,
    batch: config.EMBED_BATCH,
    concurrency: config.EMBED_CONCURRENCY,
    timeoutMs: config.EMBED_TIMEOUT_MS,
    dispatcher,
  }
  return {
    embedder: createEmbedder({ ...common, api: config.EMBED_API, model: config.EMBED_MODEL }),
    reranker: createReranker({ ...common, api: config.RERANK_API, model: config.RERANK_MODEL }),
  }
}
