import { z } from 'zod'
import { baseConfig, ConfigError, env, type EnvSource, loadConfig } from '../../shared/config.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['speech-proxy'].port

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/** A bare host name or IP (v4, or v6 with or without brackets): no scheme, port or path. */
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|\[?[0-9A-Fa-f:.]+\]?)$/

/** A host as the earlier version took it (`SPARK2_HOST`, `PARAKEET_HOST`); URLs go in the `*_URL` keys. */
const hostValue = () =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .trim()
      .refine((v) => HOST_PATTERN.test(v), {
        message: 'expected a host name or IP address (e.g. 192.168.1.20), without a scheme, spaces or a path',
      })
      .optional(),
  )

/**
 * Upstream names, compared case-insensitively. Unknown names are kept, not refused: the earlier
 * version also hid custom tiles with this list, and a value it accepted must not stop us at start.
 */
const disabledList = () => env.list().transform((names) => new Set(names.map((n) => n.toLowerCase())))

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of Parakeet and Kokoro, as in the earlier version's "Configure Sparks" action. */
  SPARK2_HOST: hostValue(),
  PARAKEET_URL: env.url(),
  /** Earlier-version name for the Parakeet host (blank ⇒ Spark 2). */
  PARAKEET_HOST: hostValue(),
  PARAKEET_PORT: env.port(UPSTREAMS.parakeet.port),
  KOKORO_URL: env.url(),
  KOKORO_HOST: hostValue(),
  KOKORO_PORT: env.port(UPSTREAMS.kokoro.port),
  DISABLED_SERVICES: disabledList(),
  /** Upload ceiling of the audio routes; the earlier contract answers 413 above 200 MB. */
  AUDIO_BODY_LIMIT_BYTES: env.int(200 * 1024 * 1024, 1024),
  /** Health probes must be quicker than the readiness deadline so a slow answer can read as busy. */
  UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1500, 50, 30_000),
}

type RawConfig = ReturnType<typeof loadRaw>
export type SpeechConfig = Omit<RawConfig, 'PARAKEET_URL' | 'KOKORO_URL'> & {
  /** Effective base URL (no trailing slash), or null when not configured. */
  PARAKEET_URL: string | null
  KOKORO_URL: string | null
}

const loadRaw = (source: EnvSource) => loadConfig(configShape, source)

export function loadSpeechConfig(source: EnvSource): SpeechConfig {
  const raw = loadRaw(source)
  const spark2 = raw.SPARK2_HOST
  return {
    ...raw,
    PARAKEET_URL: upstreamUrl({
      url: raw.PARAKEET_URL,
      hostKey: 'PARAKEET_HOST',
      host: raw.PARAKEET_HOST,
      port: raw.PARAKEET_PORT,
      spark2,
    }),
    KOKORO_URL: upstreamUrl({
      url: raw.KOKORO_URL,
      hostKey: 'KOKORO_HOST',
      host: raw.KOKORO_HOST,
      port: raw.KOKORO_PORT,
      spark2,
    }),
  }
}

interface UpstreamLocation {
  url: string | undefined
  hostKey: string
  host: string | undefined
  port: number
  spark2: string | undefined
}

/**
 * Where an upstream lives, most specific first: its URL, then its own host (+ port), then Spark 2
 * with the upstream's usual port. Null when none is set: the service runs and says what is missing.
 */
export function upstreamUrl({ url, hostKey, host, port, spark2 }: UpstreamLocation): string | null {
  if (url) return trimSlash(url)
  const chosen = host ?? spark2
  if (!chosen) return null
  const bracketed = chosen.includes(':') && !chosen.startsWith('[') ? `[${chosen}]` : chosen
  const built = `http://${bracketed}:${port}`
  if (!URL.canParse(built)) {
    throw new ConfigError([
      `${host ? hostKey : 'SPARK2_HOST'}: not a usable host (got ${JSON.stringify(chosen)})`,
    ])
  }
  return built
}

const trimSlash = (url: string) => url.replace(/\/+$/, '')
