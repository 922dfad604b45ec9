import { baseConfig, type EnvSource, env, loadConfig, resolveUpstreamUrl } from '../../shared/config.ts'
import { SERVICES, UPSTREAMS } from '../../shared/topology.ts'

export const DEFAULT_PORT = SERVICES['speech-proxy'].port

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of Parakeet and Kokoro, as in the earlier version's "Configure Sparks" action. */
  SPARK2_HOST: env.host(),
  PARAKEET_URL: env.url(),
  /** Earlier-version name for the Parakeet host (blank ⇒ Spark 2). */
  PARAKEET_HOST: env.host(),
  PARAKEET_PORT: env.port(UPSTREAMS.parakeet.port),
  KOKORO_URL: env.url(),
  KOKORO_HOST: env.host(),
  KOKORO_PORT: env.port(UPSTREAMS.kokoro.port),
  DISABLED_SERVICES: env.nameSet(),
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
  const spark2 = { fallbackHostKey: 'SPARK2_HOST', fallbackHost: raw.SPARK2_HOST }
  return {
    ...raw,
    PARAKEET_URL: resolveUpstreamUrl({
      url: raw.PARAKEET_URL,
      hostKey: 'PARAKEET_HOST',
      host: raw.PARAKEET_HOST,
      port: raw.PARAKEET_PORT,
      ...spark2,
    }),
    KOKORO_URL: resolveUpstreamUrl({
      url: raw.KOKORO_URL,
      hostKey: 'KOKORO_HOST',
      host: raw.KOKORO_HOST,
      port: raw.KOKORO_PORT,
      ...spark2,
    }),
  }
}
