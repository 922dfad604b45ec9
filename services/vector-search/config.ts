import { z } from '@hono/zod-openapi'
import {
  baseConfig,
  blankIsUnset,
  type EnvSource,
  env,
  loadConfig,
  resolveUpstreamUrl,
} from '../../shared/config.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['vector-search'].port

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of the embeddings server and Qdrant, as in the earlier version. */
  SPARK2_HOST: env.host(),
  /** The bge-m3 server (spark-embed); defaults to Spark 2 on its usual port. */
  EMBED_URL: env.url(),
  /** Qdrant; unset (and no SPARK2_HOST) means the embedded store is used instead. */
  QDRANT_URL: env.url(),
  QDRANT_API_KEY: env.secret(),
  /**
   * `auto` uses Qdrant when QDRANT_URL or SPARK2_HOST says where it is, else the embedded store;
   * `embedded` forces the embedded store (the simulated cluster has no Qdrant).
   */
  VECTOR_STORE: z.preprocess(blankIsUnset, z.enum(['auto', 'qdrant', 'embedded']).default('auto')),
  /** Upstream names to leave alone (case-insensitive); unknown names are kept for the gateway. */
  DISABLED_SERVICES: env.nameSet(),
  UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1500, 50, 30_000),
}

type RawConfig = ReturnType<typeof loadRaw>
export type VectorConfig = Omit<RawConfig, 'EMBED_URL' | 'QDRANT_URL'> & {
  /** Effective base URLs (no trailing slash), or null when not configured. */
  EMBED_URL: string | null
  QDRANT_URL: string | null
}

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export function loadVectorConfig(source: EnvSource): VectorConfig {
  const raw = loadRaw(source)
  const spark2 = { fallbackHostKey: 'SPARK2_HOST', fallbackHost: raw.SPARK2_HOST }
  return {
    ...raw,
    EMBED_URL: resolveUpstreamUrl({ url: raw.EMBED_URL, port: UPSTREAMS.embeddings.port, ...spark2 }),
    QDRANT_URL:
      raw.VECTOR_STORE === 'embedded'
        ? null
        : resolveUpstreamUrl({ url: raw.QDRANT_URL, port: UPSTREAMS.qdrant.port, ...spark2 }),
  }
}
