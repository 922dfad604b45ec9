import type { Dispatcher } from 'undici'
import {
  type Assessment,
  probeHttp,
  type UpstreamTarget,
  upstreamCheck,
} from '../../../shared/upstream-health.ts'
import { decideHealthState } from '../domain/health-state.ts'
import { createInFlight, type InFlight } from './in-flight.ts'

export interface HealthProbeOptions {
  inFlight: InFlight
  timeoutMs: number
  dispatcher?: Dispatcher
  path?: string
}

/** Probes `<base>/health` and reads a slow answer under our own load as busy. */
export function loadAwareHealth({ inFlight, timeoutMs, dispatcher, path = '/health' }: HealthProbeOptions) {
  return async (baseUrl: string, signal: AbortSignal): Promise<Assessment> => {
    const started = performance.now()
    const outcome = await probeHttp(`${baseUrl}${path}`, { timeoutMs, signal, dispatcher })
    return decideHealthState(outcome, inFlight.ranSince(started))
  }
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
}

/** What every speech upstream has: its target, its own in-flight count and a load-aware readiness check. */
export function speechUpstream(options: SpeechUpstreamOptions) {
  const target: UpstreamTarget = {
    name: options.name,
    baseUrl: options.baseUrl,
    disabled: options.disabled,
    notConfiguredDetail: options.notConfiguredDetail,
  }
  const inFlight = createInFlight()
  const { healthTimeoutMs: timeoutMs, dispatcher } = options
  const check = upstreamCheck({
    target,
    defaultModel: options.defaultModel,
    lookupModel: options.lookupModel,
    assess: loadAwareHealth({ inFlight, timeoutMs, dispatcher }),
  })
  return { target, inFlight, check }
}
