/**
 * How state changes make outages. An outage is time spent down or degraded: entering either opens
 * one, moving between them keeps the same one (its severity is the worst seen), and leaving both —
 * to up, busy, unknown or maintenance (planned work is never an outage) — ends it.
 */
import type { Outage, TargetState, Transition } from '../ports.ts'

export type Severity = Outage['severity']

/** What one change does to the target's outage. */
export type OutageStep =
  | { kind: 'open'; severity: Severity }
  | { kind: 'continue'; severity: Severity }
  | { kind: 'close' }
  | { kind: 'none' }

export function isOutageState(state: TargetState): state is Severity {
  return state === 'down' || state === 'degraded'
}

export const worstSeverity = (a: Severity, b: Severity): Severity =>
  a === 'down' || b === 'down' ? 'down' : 'degraded'

/**
 * Decided from the outage actually open in the record, not from `change.from`: after a restart the
 * record is what is known (the old outage was closed when the monitor stopped).
 */
export function outageStep(open: { severity: Severity } | null, change: Pick<Transition, 'to'>): OutageStep {
  if (isOutageState(change.to))
    return open
      ? { kind: 'continue', severity: worstSeverity(open.severity, change.to) }
      : { kind: 'open', severity: change.to }
  return open ? { kind: 'close' } : { kind: 'none' }
}

/** Appended to an outage's reason when it was still open when the monitor stopped. */
export const STOPPED_NOTE = 'the monitor stopped before it ended'

/** Why a span or outage left open by a stopped monitor ended at its last heartbeat. */
export const stoppedReason = (reason: string): string =>
  reason ? `${reason}; ${STOPPED_NOTE}` : STOPPED_NOTE
