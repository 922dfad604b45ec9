/** Targets and state changes for the history tests. */
import type { Target, TargetState, Transition } from '../domain/ports.ts'

export function target(id: string, extra: Partial<Target> = {}): Target {
  return {
    id,
    kind: 'upstream',
    title: id,
    host: null,
    legacySubject: null,
    origins: [],
    disabled: false,
    ...extra,
  }
}

export function change(
  id: string,
  from: TargetState,
  to: TargetState,
  at: number,
  reason = `${from} → ${to}`,
): Transition {
  return {
    target: id,
    from,
    to,
    at,
    decidedAt: at + 500,
    reason,
    evidence: [{ target: id, layer: 'tcp', at, ok: to === 'up', latencyMs: 3, source: 'probe' }],
  }
}
