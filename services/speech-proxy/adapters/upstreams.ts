import type { Dispatcher } from 'undici'
import type { SpeechConfig } from '../config.ts'
import { createKokoro, type Kokoro } from './kokoro.ts'
import { createParakeet, type Parakeet } from './parakeet.ts'

export interface SpeechUpstreams {
  parakeet: Parakeet
  kokoro: Kokoro
}

export type UpstreamConfig = Pick<
  SpeechConfig,
  'PARAKEET_URL' | 'KOKORO_URL' | 'DISABLED_SERVICES' | 'UPSTREAM_HEALTH_TIMEOUT_MS' | 'SPEECH_ASR_TIMEOUT_S'
>

/** The real upstream adapters, built from the configuration (main.ts and the in-process tests). */
export function createSpeechUpstreams(config: UpstreamConfig, dispatcher?: Dispatcher): SpeechUpstreams {
  const healthTimeoutMs = config.UPSTREAM_HEALTH_TIMEOUT_MS
  return {
    parakeet: createParakeet({
      baseUrl: config.PARAKEET_URL,
      disabled: config.DISABLED_SERVICES.has('parakeet'),
      healthTimeoutMs,
      callTimeoutMs: config.SPEECH_ASR_TIMEOUT_S * 1000,
      dispatcher,
    }),
    kokoro: createKokoro({
      baseUrl: config.KOKORO_URL,
      disabled: config.DISABLED_SERVICES.has('kokoro'),
      healthTimeoutMs,
      dispatcher,
    }),
  }
}
