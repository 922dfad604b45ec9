/**
 * Parakeet ASR on Spark 2: its health, the model it serves, and the work calls — transcription
 * (OpenAI verbose_json with word timestamps) and per-chunk diarization (Sortformer turns with
 * TitaNet voice embeddings). Work calls are counted in `inFlight` by the admission lane that runs
 * them (app.ts gives the asr and diarize lanes this tracker), never twice.
 */
import type { Dispatcher } from 'undici'
import { AppError } from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'
import type { DependencyCheck } from '../../../shared/readiness.ts'
import type { UpstreamTarget } from '../../../shared/upstream-health.ts'
import { DEFAULT_STT_MODEL, parseModelIds } from '../domain/models.ts'
import type { SpeechEngine } from '../domain/transcribe/ports.ts'
import { createCached } from './cached.ts'
import { speechUpstream, type UpstreamStatus } from './health.ts'
import type { InFlight } from './in-flight.ts'
import { postFile } from './parakeet-calls.ts'
import { parseDiarizedChunk, parseTranscription } from './parakeet-parse.ts'

export const PARAKEET_LABEL = 'Parakeet ASR'

export interface ParakeetOptions {
  baseUrl: string | null
  disabled: boolean
  healthTimeoutMs: number
  dispatcher?: Dispatcher
  /** The model list only changes when the container is rebuilt. */
  modelsTtlMs?: number
  /** Deadline of one transcription or diarization call (SPEECH_ASR_TIMEOUT_S). */
  callTimeoutMs?: number
}

/** Five minutes, as the earlier version waited: a long chunk on a busy GPU takes a while. */
export const DEFAULT_CALL_TIMEOUT_MS = 300_000
/** Disabled or unconfigured does not fix itself quickly; clients should back off longer. */
const RETRY_AFTER_OFF_S = 60

export interface Parakeet extends SpeechEngine {
  target: UpstreamTarget
  inFlight: InFlight
  check: DependencyCheck
  /** Up, busy, degraded or down, and why (`GET /api/speech/status`). */
  status(): UpstreamStatus
  /** STT model ids to advertise; empty when Parakeet is disabled or not configured. Never throws. */
  models(): Promise<string[]>
}

export function createParakeet(options: ParakeetOptions): Parakeet {
  const listed = createCached(() => fetchModelIds(options), {
    ttlMs: options.modelsTtlMs ?? 60_000,
    staleMs: 10 * 60_000,
    errorTtlMs: 10_000,
  })
  // A wrapper without `/v1/models`, or one that cannot answer now, still serves the usual model.
  const served = async () => {
    const ids = await listed.get().catch(() => [])
    return ids.length > 0 ? ids : [DEFAULT_STT_MODEL]
  }
  const { target, inFlight, check, status } = speechUpstream({
    ...options,
    name: 'parakeet',
    notConfiguredDetail: 'set PARAKEET_URL, PARAKEET_HOST or SPARK2_HOST',
    defaultModel: DEFAULT_STT_MODEL,
    lookupModel: async () => (await served())[0] ?? null,
  })
  return {
    target,
    inFlight,
    check,
    status,
    models: async () => (target.disabled || !target.baseUrl ? [] : served()),
    async transcribe(path, { language, signal, timeoutMs }) {
      const fields: Record<string, string | string[]> = {
        model: (await served())[0] ?? DEFAULT_STT_MODEL,
        response_format: 'verbose_json',
        'timestamp_granularities[]': ['word', 'segment'],
        ...(language ? { language } : {}),
      }
      const body = await postFile({
        ...work(options, '/v1/audio/transcriptions', timeoutMs),
        path,
        fields,
        signal,
      })
      return parseTranscription(PARAKEET_LABEL, body)
    },
    async diarizeChunk(path, { signal, timeoutMs }) {
      const body = await postFile({
        ...work(options, '/v1/audio/diarize-chunk', timeoutMs),
        path,
        fields: {},
        signal,
      })
      return parseDiarizedChunk(PARAKEET_LABEL, body)
    },
  }
}

/** Where a work call goes and its deadline; 503 when Parakeet is switched off or not configured. */
function work(options: ParakeetOptions, path: string, timeoutMs: number | undefined) {
  if (options.disabled) throw unavailable('is disabled by DISABLED_SERVICES')
  if (!options.baseUrl)
    throw unavailable('is not configured (set PARAKEET_URL, PARAKEET_HOST or SPARK2_HOST)')
  return {
    service: PARAKEET_LABEL,
    url: `${options.baseUrl}${path}`,
    timeoutMs: timeoutMs ?? options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    dispatcher: options.dispatcher,
  }
}

const unavailable = (why: string) =>
  new AppError(503, 'upstream_unavailable', `${PARAKEET_LABEL} ${why}.`, { retryAfterS: RETRY_AFTER_OFF_S })

async function fetchModelIds(options: ParakeetOptions): Promise<string[]> {
  if (!options.baseUrl) return []
  const res = await callJson(`${options.baseUrl}/v1/models`, {
    service: PARAKEET_LABEL,
    timeoutMs: options.healthTimeoutMs,
    dispatcher: options.dispatcher,
  })
  return res.status >= 200 && res.status < 300 ? parseModelIds(res.body) : []
}
