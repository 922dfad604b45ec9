/** Builds the speech proxy exactly as main.ts does, against fake upstreams. Test-only code. */
import type { Dispatcher } from 'undici'
import { silentLogger } from '../../../shared/logger.ts'
import { createSpeechUpstreams } from '../adapters/upstreams.ts'
import { buildWithAdmission, type SpeechDeps } from '../app.ts'
import { loadSpeechConfig } from '../config.ts'

export interface HarnessOptions {
  parakeetUrl?: string
  kokoroUrl?: string
  disabled?: string
  healthTimeoutMs?: number
  voiceWaitMs?: number
  env?: Record<string, string>
  dispatcher?: Dispatcher
  transcription?: SpeechDeps['transcription']
}

export function speechApp(options: HarnessOptions) {
  const config = loadSpeechConfig({
    PARAKEET_URL: options.parakeetUrl ?? '',
    KOKORO_URL: options.kokoroUrl ?? '',
    DISABLED_SERVICES: options.disabled ?? '',
    // Generous by default: a healthy fake on a busy machine must not read as down. Tests of a slow
    // upstream set their own (short) timeout.
    UPSTREAM_HEALTH_TIMEOUT_MS: String(options.healthTimeoutMs ?? 5000),
    ...options.env,
  })
  const upstreams = createSpeechUpstreams(config, options.dispatcher)
  const { app, admission, metrics } = buildWithAdmission({
    config,
    logger: silentLogger(),
    upstreams,
    created: 1_700_000_000,
    voiceWaitMs: options.voiceWaitMs,
    transcription: options.transcription,
  })
  return { app, upstreams, config, admission, metrics }
}
