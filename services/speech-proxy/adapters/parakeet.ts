/**
 * Parakeet ASR on Spark 2: its health and the model it serves. Transcription comes in a later issue
 * and will run through `inFlight.track` so its load is visible to the health check.
 */
import type { Dispatcher } from 'undici'
import { callJson } from '../../../shared/http-client.ts'
import type { DependencyCheck } from '../../../shared/readiness.ts'
import type { UpstreamTarget } from '../../../shared/upstream-health.ts'
import { DEFAULT_STT_MODEL, parseModelIds } from '../domain/models.ts'
import { createCached } from './cached.ts'
import { speechUpstream, type UpstreamStatus } from './health.ts'
import type { InFlight } from './in-flight.ts'

export const PARAKEET_LABEL = 'Parakeet ASR'

export interface ParakeetOptions {
  baseUrl: string | null
  disabled: boolean
  healthTimeoutMs: number
  dispatcher?: Dispatcher
  /** The model list only changes when the container is rebuilt. */
  modelsTtlMs?: number
}

export interface Parakeet {
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
  }
}

async function fetchModelIds(options: ParakeetOptions): Promise<string[]> {
  if (!options.baseUrl) return []
  const res = await callJson(`${options.baseUrl}/v1/models`, {
    service: PARAKEET_LABEL,
    timeoutMs: options.healthTimeoutMs,
    dispatcher: options.dispatcher,
  })
  return res.status >= 200 && res.status < 300 ? parseModelIds(res.body) : []
}
