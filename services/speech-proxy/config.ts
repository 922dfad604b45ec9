import { baseConfig, type EnvSource, env, loadConfig, resolveUpstreamUrl } from '../../shared/config.ts'
import { KNOBS } from '../../shared/settings/registry.ts'
import { SERVICES } from '../../shared/topology.ts'
import type { Lane } from './domain/admission/lanes.ts'

export const DEFAULT_PORT = SERVICES['speech-proxy'].port

export const configShape = {
  ...baseConfig(DEFAULT_PORT),
  /** Default host of Parakeet and Kokoro, as in the earlier version's "Configure Sparks" action. */
  SPARK2_HOST: env.host(),
  PARAKEET_URL: KNOBS.PARAKEET_URL.schema,
  /** Earlier-version name for the Parakeet host (blank ⇒ Spark 2). */
  PARAKEET_HOST: env.host(),
  PARAKEET_PORT: KNOBS.PARAKEET_PORT.schema,
  KOKORO_URL: KNOBS.KOKORO_URL.schema,
  KOKORO_HOST: env.host(),
  KOKORO_PORT: KNOBS.KOKORO_PORT.schema,
  DISABLED_SERVICES: env.nameSet(),
  /** Upload ceiling of the audio routes; the earlier contract answers 413 above 200 MB. */
  AUDIO_BODY_LIMIT_BYTES: env.int(200 * 1024 * 1024, 1024),
  /** Health probes must be quicker than the readiness deadline so a slow answer can read as busy. */
  UPSTREAM_HEALTH_TIMEOUT_MS: env.int(1500, 50, 30_000),
  /** Requests each speech model runs at once (admission lanes); more only queue on the GPU. */
  SPEECH_LANE_ASR: KNOBS.SPEECH_LANE_ASR.schema,
  SPEECH_LANE_DIARIZE: KNOBS.SPEECH_LANE_DIARIZE.schema,
  SPEECH_LANE_TTS: KNOBS.SPEECH_LANE_TTS.schema,
  /** Requests (or chunks) that may wait in each lane; beyond it 503 queue_full + Retry-After. */
  SPEECH_QUEUE_MAX: KNOBS.SPEECH_QUEUE_MAX.schema,
  /** Running + queued requests one client may have across lanes; beyond it 429 + Retry-After. */
  SPEECH_CLIENT_MAX: KNOBS.SPEECH_CLIENT_MAX.schema,
  /** Default budget of a transcription or speech request, in seconds (the earlier version's 300 s timeout). */
  SPEECH_DEADLINE_S: env.int(300, 1, 86_400),
  /** Default budget of a diarization request, in seconds (the earlier version's 600 s timeout). */
  SPEECH_DIARIZE_DEADLINE_S: env.int(600, 1, 86_400),
  /** Cosine at which two chunks' voice embeddings (or a voice and a known voiceprint) are one speaker. */
  SPEECH_LINK_THRESHOLD: env.number(0.7, 0),
  /** Deadline of one call to Parakeet (a transcription or a chunk's diarization), in seconds. */
  SPEECH_ASR_TIMEOUT_S: env.int(300, 1, 86_400),
  /** Longest `input` of a speech request, in characters (OpenAI's limit by default). */
  SPEECH_TTS_MAX_INPUT_CHARS: env.int(4096, 1, 1_000_000),
  /** Longest wait for Kokoro's first answer to a synthesis, and between two pieces of its audio. */
  KOKORO_SPEECH_TIMEOUT_MS: env.int(60_000, 100, 3_600_000),
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

export type AdmissionConfig = Pick<
  SpeechConfig,
  | 'SPEECH_LANE_ASR'
  | 'SPEECH_LANE_DIARIZE'
  | 'SPEECH_LANE_TTS'
  | 'SPEECH_QUEUE_MAX'
  | 'SPEECH_CLIENT_MAX'
  | 'SPEECH_DEADLINE_S'
  | 'SPEECH_DIARIZE_DEADLINE_S'
>

/** The admission lanes' limits and bounds, from the configuration. */
export function laneSettings(config: AdmissionConfig) {
  const perLane = (n: number): Record<Lane, number> => ({ asr: n, diarize: n, tts: n })
  return {
    limits: { asr: config.SPEECH_LANE_ASR, diarize: config.SPEECH_LANE_DIARIZE, tts: config.SPEECH_LANE_TTS },
    maxQueue: perLane(config.SPEECH_QUEUE_MAX),
    perClientMax: config.SPEECH_CLIENT_MAX,
  }
}

/** Each lane's default request deadline in ms, when the client does not ask for less. */
export function laneDeadlinesMs(config: AdmissionConfig): Record<Lane, number> {
  const standard = config.SPEECH_DEADLINE_S * 1000
  return { asr: standard, diarize: config.SPEECH_DIARIZE_DEADLINE_S * 1000, tts: standard }
}
