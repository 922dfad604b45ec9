/**
 * The health of the bge-m3 embeddings server and of Qdrant (on Spark 2 by default), as /ready
 * reports them; the calls themselves are in `embedder*.ts`, `reranker.ts` and `qdrant-store*.ts`.
 */
import type { Dispatcher } from 'undici'
import type { DependencyCheck } from '../../../shared/readiness.ts'
import {
  outcomeAssessment,
  probeHttp,
  type UpstreamTarget,
  upstreamCheck,
} from '../../../shared/upstream-health.ts'
import type { VectorConfig } from '../config.ts'

export const EMBED_MODEL = 'BAAI/bge-m3'

export interface VectorUpstreams {
  embeddings: DependencyCheck
  qdrant: DependencyCheck
}

export type UpstreamConfig = Pick<
  VectorConfig,
  'EMBED_URL' | 'QDRANT_URL' | 'QDRANT_API_KEY' | 'DISABLED_SERVICES' | 'UPSTREAM_HEALTH_TIMEOUT_MS'
>

export function createVectorUpstreams(config: UpstreamConfig, dispatcher?: Dispatcher): VectorUpstreams {
  const probe =
    (path: string, headers?: Record<string, string>) => async (baseUrl: string, signal: AbortSignal) =>
      outcomeAssessment(
        await probeHttp(`${baseUrl}${path}`, {
          timeoutMs: config.UPSTREAM_HEALTH_TIMEOUT_MS,
          signal,
          dispatcher,
          headers,
        }),
      )
  const embeddings: UpstreamTarget = {
    name: 'embeddings',
    baseUrl: config.EMBED_URL,
    disabled: config.DISABLED_SERVICES.has('embeddings'),
    notConfiguredDetail: 'set EMBED_URL or SPARK2_HOST',
  }
  const qdrant: UpstreamTarget = {
    name: 'qdrant',
    baseUrl: config.QDRANT_URL,
    disabled: config.DISABLED_SERVICES.has('qdrant'),
    notConfiguredDetail: 'embedded store in use',
  }
  // Recent Qdrant exempts its health routes from auth; older ones want the key there too.
  const qdrantHeaders = config.QDRANT_API_KEY ? { 'api-key': config.QDRANT_API_KEY.reveal() } : undefined
  return {
    embeddings: upstreamCheck({ target: embeddings, defaultModel: EMBED_MODEL, assess: probe('/health') }),
    // `/readyz` rather than `/healthz`: it also waits for shards to load after a restart.
    qdrant: upstreamCheck({ target: qdrant, defaultModel: null, assess: probe('/readyz', qdrantHeaders) }),
  }
}
