/**
 * Kokoro TTS on Spark 2: its health and its voices. Synthesis comes in a later issue and will run
 * through `inFlight.track` so its load is visible to the health check.
 */
import type { Dispatcher } from 'undici'
import { AppError, upstreamFailed } from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'
import type { DependencyCheck } from '../../../shared/readiness.ts'
import type { UpstreamTarget } from '../../../shared/upstream-health.ts'
import { TTS_MODEL } from '../domain/models.ts'
import { normaliseVoices, type Voice } from '../domain/voices.ts'
import { createCached } from './cached.ts'
import { speechUpstream, type UpstreamStatus } from './health.ts'
import type { InFlight } from './in-flight.ts'

export const KOKORO_LABEL = 'Kokoro TTS'

/** Seconds a client should wait before asking again when Kokoro cannot be reached. */
const RETRY_AFTER_S = 10
/** Disabled or unconfigured does not fix itself quickly; clients should back off longer. */
const RETRY_AFTER_OFF_S = 60

export interface KokoroOptions {
  baseUrl: string | null
  disabled: boolean
  healthTimeoutMs: number
  /** Deadline of the voice-list call (a data call, so longer than a health probe). */
  callTimeoutMs?: number
  dispatcher?: Dispatcher
  voicesTtlMs?: number
}

export interface Kokoro {
  target: UpstreamTarget
  inFlight: InFlight
  check: DependencyCheck
  /** Up, busy, degraded or down, and why (`GET /api/speech/status`). */
  status(): UpstreamStatus
  /** Kokoro's voices, normalised; throws an AppError (503/504/502) when they cannot be had. */
  voices(): Promise<Voice[]>
}

export function createKokoro(options: KokoroOptions): Kokoro {
  const cached = createCached(() => fetchVoices(options), {
    ttlMs: options.voicesTtlMs ?? 30_000,
    staleMs: 10 * 60_000,
    errorTtlMs: 2_000,
  })
  const { target, inFlight, check, status } = speechUpstream({
    ...options,
    name: 'kokoro',
    notConfiguredDetail: 'set KOKORO_URL, KOKORO_HOST or SPARK2_HOST',
    defaultModel: TTS_MODEL,
  })
  return {
    target,
    inFlight,
    check,
    status,
    async voices() {
      if (target.disabled) throw unavailable('is disabled by DISABLED_SERVICES')
      if (!target.baseUrl) throw unavailable('is not configured (set KOKORO_URL or SPARK2_HOST)')
      return cached.get()
    },
  }
}

const unavailable = (why: string) =>
  new AppError(503, 'upstream_unavailable', `${KOKORO_LABEL} ${why}.`, { retryAfterS: RETRY_AFTER_OFF_S })

async function fetchVoices(options: KokoroOptions): Promise<Voice[]> {
  const res = await callJson(`${options.baseUrl}/v1/audio/voices`, {
    service: KOKORO_LABEL,
    timeoutMs: options.callTimeoutMs ?? 5000,
    dispatcher: options.dispatcher,
    retryAfterS: RETRY_AFTER_S,
  })
  if (res.status === 503 || res.status === 429) {
    throw new AppError(503, 'upstream_unavailable', `${KOKORO_LABEL} is busy; retry in ${RETRY_AFTER_S} s.`, {
      retryAfterS: RETRY_AFTER_S,
    })
  }
  if (res.status < 200 || res.status >= 300) {
    throw upstreamFailed(KOKORO_LABEL, `voice list answered HTTP ${res.status}`)
  }
  const voices = normaliseVoices(res.body)
  if (!voices) throw upstreamFailed(KOKORO_LABEL, 'voice list is in a shape we do not know')
  return voices
}
