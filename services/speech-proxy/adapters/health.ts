import type { Dispatcher } from 'undici'
import { type Assessment, probeHttp } from '../../../shared/upstream-health.ts'
import { decideHealthState } from '../domain/health-state.ts'
import type { InFlight } from './in-flight.ts'

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
