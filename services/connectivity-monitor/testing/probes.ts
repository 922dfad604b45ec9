/**
 * Probes whose answers a test decides: each layer answers from a function of the target (ok, a
 * failure kind, slow) — immediately, or held until the test lets it go or the engine aborts it.
 * Every call is recorded with how many of that layer were in flight. Test-only code.
 */
import { untilAborted } from '../../../shared/testing/deferred.ts'
import type { ProbeLayer } from '../domain/engine/runtime.ts'
import type { Evidence, FailureKind, Probes, Target } from '../domain/ports.ts'

export type ProbeAnswer = { ok: true; slow?: boolean } | { ok: false; kind: FailureKind } | 'hang'

export interface ProbeCall {
  target: string
  layer: ProbeLayer
  at: number
  /** Probes of this target and layer in flight when it began (itself included). */
  inFlight: number
}

export function scriptedProbes(answer: (target: Target, layer: ProbeLayer) => ProbeAnswer) {
  const calls: ProbeCall[] = []
  const inFlight = new Map<string, number>()
  let aborted = 0
  const probe =
    (layer: ProbeLayer) =>
    async (target: Target, signal: AbortSignal): Promise<Evidence> => {
      const at = Date.now()
      const key = `${target.id}/${layer}`
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
      calls.push({ target: target.id, layer, at, inFlight: inFlight.get(key)! })
      try {
        const a = answer(target, layer)
        if (a === 'hang') {
          await untilAborted(signal)
          aborted++
          return {
            target: target.id,
            layer,
            at,
            ok: false,
            kind: 'timeout',
            latencyMs: Date.now() - at,
            source: 'probe',
          }
        }
        return { target: target.id, layer, at, latencyMs: 1, source: 'probe', ...a }
      } finally {
        inFlight.set(key, inFlight.get(key)! - 1)
      }
    }
  const probes: Probes = {
    tcp: probe('tcp'),
    http: probe('http'),
    functional: probe('functional'),
    ssh: probe('ssh'),
  }
  return {
    probes,
    calls,
    of: (target: string, layer: ProbeLayer) => calls.filter((c) => c.target === target && c.layer === layer),
    inFlightNow: () => [...inFlight.values()].reduce((a, b) => a + b, 0),
    get aborted() {
      return aborted
    },
  }
}
