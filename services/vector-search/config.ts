import { join } from 'node:path'
import { z } from '@hono/zod-openapi'
import {
  baseConfig,
  blankIsUnset,
  ConfigError,
  type EnvSource,
  env,
  loadConfig,
  resolveUpstreamUrl,
} from '../../shared/config.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['vector-search'].port

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of the embeddings server and Qdrant, as in the earlier version. */
  SPARK2_HOST: env.host(),
  /** The bge-m3 server (spark-embed); defaults to Spark 2 on its usual port. */
  EMBED_URL: KNOBS.EMBED_URL.schema,
  /** Qdrant; unset (and no SPARK2_HOST) means the embedded store is used instead. */
  QDRANT_URL: KNOBS.QDRANT_URL.schema,
  QDRANT_API_KEY: KNOBS.QDRANT_API_KEY.schema,
  /**
   * `auto` uses Qdrant when QDRANT_URL or SPARK2_HOST says where it is, else the embedded store;
   * `embedded` forces the embedded store (the simulated cluster has no Qdrant).
   */
  VECTOR_STORE: z.preprocess(blankIsUnset, z.enum(['auto', 'qdrant', 'embedded']).default('auto')),
  /** The embedded store's SQLite file; blank ⇒ `<DATA_DIR>/vectors.db` (folder 0700, file 0600). */
  VECTOR_DB: env.optionalString(),
  /** Every call to Qdrant gives up after this long (a 504). */
  QDRANT_TIMEOUT_MS: env.int(10_000, 100, 600_000),
  /** Upstream names to leave alone (case-insensitive); unknown names are kept for the gateway. */
  DISABLED_SERVICES: env.nameSet(),
  UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1500, 50, 30_000),
  /** The embeddings server's API: `auto` asks it once (FastAPI bge-m3 `/embed`, TEI, vLLM, OpenAI) and remembers. */
  EMBED_API: z.preprocess(blankIsUnset, z.enum(['auto', 'openai', 'bge-m3', 'tei', 'vllm']).default('auto')),
  EMBED_MODEL: env.string('BAAI/bge-m3'),
  /** Inputs per call to the embeddings server (halved when the server refuses a batch for its size). */
  EMBED_BATCH: env.int(32, 1, 2048),
  /** Calls to the embeddings server at once, per request. */
  EMBED_CONCURRENCY: env.int(4, 1, 64),
  /** One call's timeout (a batch, a rerank); over it: 504. */
  EMBED_TIMEOUT_MS: env.int(30_000, 100, 600_000),
  /** The rerank server's API (`auto`: vLLM, Cohere/Jina `/v1/rerank`, or TEI `/rerank`); it is EMBED_URL's server. */
  RERANK_API: z.preprocess(blankIsUnset, z.enum(['auto', 'cohere', 'vllm', 'tei']).default('auto')),
  RERANK_MODEL: env.string('BAAI/bge-reranker-v2-m3'),
  /** Documents per `/v1/rerank` request (over: 400). */
  RERANK_MAX_DOCUMENTS: env.int(1000, 1, 10_000),
  /** Ingestion: chunk size and overlap in tokens (≈ characters / 4); a chunk with its overlap fits the size. */
  CHUNK_TOKENS: env.int(400, 16, 8000),
  CHUNK_OVERLAP_TOKENS: env.int(60, 0, 4000),
  /** An ingest of more chunks answers 202 with a job; one of fewer is all-or-nothing. */
  INGEST_ASYNC_CHUNKS: env.int(256, 1, 100_000),
  /** Per ingest request (over one of them: 413). */
  INGEST_MAX_DOCUMENTS: env.int(1000, 1, 100_000),
  INGEST_MAX_DOCUMENT_CHARS: env.int(1_000_000, 1000),
  INGEST_MAX_METADATA_BYTES: env.int(16_384, 256),
  /** Per call to the embeddings server and per write to the store (Qdrant refuses bodies over 32 MB). */
  INGEST_EMBED_BATCH: env.int(32, 1, 2048),
  INGEST_EMBED_BATCH_BYTES: env.int(256 * 1024, 1024),
  INGEST_STORE_BATCH: env.int(256, 1, 10_000),
  INGEST_STORE_BATCH_BYTES: env.int(8 * 1024 * 1024, 64 * 1024, 30 * 1024 * 1024),
  /** Ingest jobs queued or running at once (one more: 503), and how long a finished one is kept. */
  INGEST_JOBS_MAX: env.int(8, 1, 1000),
  INGEST_JOB_KEEP_S: env.int(3600, 1),
}

type RawConfig = ReturnType<typeof loadRaw>
export type VectorConfig = Omit<RawConfig, 'EMBED_URL' | 'QDRANT_URL' | 'VECTOR_DB'> & {
  VECTOR_DB: string
  /** Effective base URLs (no trailing slash), or null when not configured. */
  EMBED_URL: string | null
  QDRANT_URL: string | null
}

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export function loadVectorConfig(source: EnvSource): VectorConfig {
  const raw = loadRaw(source)
  const spark2 = { fallbackHostKey: 'SPARK2_HOST', fallbackHost: raw.SPARK2_HOST }
  const qdrant =
    raw.VECTOR_STORE === 'embedded'
      ? null
      : resolveUpstreamUrl({ url: raw.QDRANT_URL, port: UPSTREAMS.qdrant.port, ...spark2 })
  // Asked for Qdrant by name but told nowhere where it is: an error, not a quiet embedded store.
  if (raw.VECTOR_STORE === 'qdrant' && qdrant === null)
    throw new ConfigError(['VECTOR_STORE: qdrant needs QDRANT_URL (or SPARK2_HOST for Qdrant on Spark 2)'])
  return {
    ...raw,
    VECTOR_DB: raw.VECTOR_DB ?? join(raw.DATA_DIR, 'vectors.db'),
    EMBED_URL: resolveUpstreamUrl({ url: raw.EMBED_URL, port: UPSTREAMS.embeddings.port, ...spark2 }),
    QDRANT_URL: qdrant,
  }
}
