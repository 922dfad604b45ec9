/**
 * Probes whose answers a test decides: each layer answers from a function of the target (ok, a
 * failure kind, slow) — immediately, or held until the test lets it go or the engine aborts it.
 * Every call is recorded with how many of that layer were in flight. Test-only code.
 */
import { untilAborted } from '../../../shared/testing/deferred.ts'
import type { ProbeLayer } from '../domain/engine/runtime.ts'
import type { Evidence, FailureKind, ProbeOptions, Probes, Target } from '../domain/ports.ts'

export type ProbeAnswer = { ok: true; slow?: boolean } | { ok: false; kind: FailureKind } | 'hang'

export interface ProbeCall {
  target: string
  layer: ProbeLayer
  at: number
  /** Probes of this target and layer in flight when it began (itself included). */
  inFlight: number
  options?: ProbeOptions
}

export function scriptedProbes(
  answer: (target: Target, layer: ProbeLayer, options?: ProbeOptions) => ProbeAnswer,
) {
  const calls: ProbeCall[] = []
  const inFlight = new Map<string, number>()
  let aborted = 0
  const probe =
    (layer: ProbeLayer) =>
    async (target: Target, signal: AbortSignal, options?: ProbeOptions): Promise<Evidence> => {
      const at = Date.now()
      const key = `${target.id}/${layer}`
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
      calls.push({
        target: target.id,
        layer,
        at,
        inFlight: inFlight.get(key)!,
        ...(options ? { options } : {}),
      })
      try {
        const a = answer(target, layer, options)
        if (a === 'hang') {
          // A hang answers nothing: the probe ends at the short wait it was given, or when the engine stops.
          const waited = options?.timeoutMs
          await (waited === undefined
            ? untilAborted(signal)
            : Promise.race([untilAborted(signal), new Promise((r) => setTimeout(r, waited))]))
          if (signal.aborted) aborted++
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
