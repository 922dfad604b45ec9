import type { Dispatcher } from 'undici'
import { AppError } from '../../../shared/errors.ts'
import { probeHttp, type UpstreamTarget, upstreamCheck } from '../../../shared/upstream-health.ts'
import {
  createHealthJudge,
  type HealthJudge,
  readinessAssessment,
  type UpstreamHealth,
} from '../domain/health-state.ts'
import { WEDGED_RETRY_AFTER_S } from '../domain/upstream-errors.ts'
import { createInFlight, type InFlight } from './in-flight.ts'

/** Slow probes in a row, with nothing of ours running, before an upstream is called down. */
export const DOWN_AFTER_MISSES = 3

export interface HealthProbeOptions {
  inFlight: InFlight
  judge: HealthJudge
  timeoutMs: number
  dispatcher?: Dispatcher
  path?: string
}

/** Probes `<base>/health` and judges the answer against our own load and the probes before it. */
export function loadAwareHealth({
  inFlight,
  judge,
  timeoutMs,
  dispatcher,
  path = '/health',
}: HealthProbeOptions) {
  return async (baseUrl: string, signal: AbortSignal) => {
    const started = performance.now()
    const outcome = await probeHttp(`${baseUrl}${path}`, { timeoutMs, signal, dispatcher })
    return readinessAssessment(judge.probed(outcome, inFlight.ranSince(started)))
  }
}

/** What `GET /api/speech/status` says of one upstream. */
export interface UpstreamStatus extends UpstreamHealth {
  name: SpeechUpstreamOptions['name']
  in_flight: number
}

export interface SpeechUpstreamOptions {
  name: 'parakeet' | 'kokoro'
  baseUrl: string | null
  disabled: boolean
  notConfiguredDetail: string
  healthTimeoutMs: number
  dispatcher?: Dispatcher
  defaultModel: string
  lookupModel?: () => Promise<string | null>
  downAfterMisses?: number
}

/**
 * What every speech upstream has: its target, its own in-flight count, a load-aware readiness check
 * and the status it shows. Work tracked through `inFlight` also teaches the judge: a GPU fault in a
 * real request calls the upstream down, a success calls it up.
 */
export function speechUpstream(options: SpeechUpstreamOptions) {
  const target: UpstreamTarget = {
    name: options.name,
    baseUrl: options.baseUrl,
    disabled: options.disabled,
    notConfiguredDetail: options.notConfiguredDetail,
  }
  const judge = createHealthJudge({
    downAfter: options.downAfterMisses ?? DOWN_AFTER_MISSES,
    faultHoldMs: WEDGED_RETRY_AFTER_S * 1000,
  })
  const inFlight = learningInFlight(createInFlight(), judge)
  const { healthTimeoutMs: timeoutMs, dispatcher } = options
  const check = upstreamCheck({
    target,
    defaultModel: options.defaultModel,
    lookupModel: options.lookupModel,
    assess: loadAwareHealth({ inFlight, judge, timeoutMs, dispatcher }),
  })
  const status = (): UpstreamStatus => ({
    name: options.name,
    ...offReason(target, judge.current()),
    in_flight: inFlight.active(),
  })
  return { target, inFlight, check, status }
}

function learningInFlight(inner: InFlight, judge: HealthJudge): InFlight {
  return {
    ...inner,
    async track(work) {
      try {
        const value = await inner.track(work)
        judge.served()
        return value
      } catch (err) {
        if (err instanceof AppError && err.code === 'upstream_wedged') judge.faulted(err.message)
        throw err
      }
    },
  }
}

/** A switched-off or unconfigured upstream is down for the status page, saying why. */
function offReason(target: UpstreamTarget, health: UpstreamHealth): UpstreamHealth {
  if (target.disabled) return { state: 'down', why: 'disabled by DISABLED_SERVICES', misses: 0 }
  if (!target.baseUrl)
    return { state: 'down', why: `not configured: ${target.notConfiguredDetail}`, misses: 0 }
  return health
}
