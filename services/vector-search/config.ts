import { z } from 'zod'
import { baseConfig, env, type EnvSource, loadConfig } from '../../shared/config.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['vector-search'].port

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/** A bare host name or IP (v4, or v6 with or without brackets): no scheme, port or path. */
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[?[0-9A-Fa-f:.]+\]?)$/

const hostValue = () =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((v) => HOST_PATTERN.test(v), {
        message: 'expected a host name or IP address (e.g. 192.168.1.20), without a scheme or path',
      })
      .optional(),
  )

/**
 * Holds a secret so that logging, serialising or inspecting the configuration never shows it;
 * the one reader calls `reveal()` where the value is put on the wire.
 */
export class Secret {
  readonly #value: string
  constructor(value: string) {
    this.#value = value
  }
  reveal(): string {
    return this.#value
  }
  toJSON() {
    return '[redacted]'
  }
  toString() {
    return '[redacted]'
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return 'Secret([redacted])'
  }
  [Symbol.for('Deno.customInspect')]() {
    return 'Secret([redacted])'
  }
}

const secret = () => env.optionalString().transform((v) => (v === undefined ? undefined : new Secret(v)))

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of the embeddings server and Qdrant, as in the earlier version. */
  SPARK2_HOST: hostValue(),
  /** The bge-m3 server (spark-embed); defaults to Spark 2 on its usual port. */
  EMBED_URL: env.url(),
  /** Qdrant; unset (and no SPARK2_HOST) means the embedded store is used instead. */
  QDRANT_URL: env.url(),
  QDRANT_API_KEY: secret(),
  /** Upstream names to leave alone (case-insensitive); unknown names are kept for the gateway. */
  DISABLED_SERVICES: env.list().transform((names) => new Set(names.map((n) => n.toLowerCase()))),
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
  return {
    ...raw,
    EMBED_URL: resolveUrl(raw.EMBED_URL, raw.SPARK2_HOST, UPSTREAMS.embeddings.port),
    QDRANT_URL: resolveUrl(raw.QDRANT_URL, raw.SPARK2_HOST, UPSTREAMS.qdrant.port),
  }
}

function resolveUrl(url: string | undefined, spark2: string | undefined, port: number): string | null {
  if (url) return url.replace(/\/+$/, '')
  if (!spark2) return null
  const host = spark2.includes(':') && !spark2.startsWith('[') ? `[${spark2}]` : spark2
  return `http://${host}:${port}`
}
