/**
 * What one piece of evidence says, before any counting:
 *
 * | evidence                                                        | class    |
 * | --------------------------------------------------------------- | -------- |
 * | any failure `refused`, `reset`, `unreachable`, `dns`            | hard     |
 * | a `reset` after a second or more of waiting (a hang dropped)     | soft     |
 * | any failure on the TCP or SSH layer (a `timeout` is an unanswered SYN) | hard |
 * | `timeout`, `http_5xx`, `bad_status`, `other` on health, functional or real traffic | soft |
 * | an ok of health (slow or not), the functional check or real traffic | alive |
 * | a TCP or SSH ok                                                  | port     |
 *
 * A port answer proves only that something accepts connections (docker-proxy does for a dead
 * container), so it is liveness only for a target with no app layer to ask (a node, a TCP-only
 * target). *Slow signs* — health timing out or answering slowly, the functional check timing out —
 * are what a busy GPU looks like; they decide busy, and are left out of degraded's failure share.
 */
import type { Evidence, FailureKind, Target } from '../ports.ts'

export type EvidenceClass = 'hard' | 'soft' | 'alive' | 'port'

const TRANSPORT: ReadonlySet<FailureKind> = new Set(['refused', 'reset', 'unreachable', 'dns'])
const isPortLayer = (e: Evidence) => e.layer === 'tcp' || e.layer === 'ssh'

/**
 * A reset that came only after this long was a connection the server accepted and then sat on (a
 * hang that ended by dropping its sockets): an app failure dated like a timeout, not a closed port.
 */
export const HUNG_RESET_MS = 1000

export function evidenceClass(e: Evidence): EvidenceClass {
  if (e.ok) return isPortLayer(e) ? 'port' : 'alive'
  if (isPortLayer(e)) return 'hard'
  if (e.kind === 'reset' && e.latencyMs >= HUNG_RESET_MS) return 'soft'
  return TRANSPORT.has(e.kind ?? 'other') ? 'hard' : 'soft'
}

/** A target with nothing but a port to probe: its TCP or SSH answer is all the liveness there is. */
export const isPortOnly = (target: Target) => !target.http && !target.functional

/** The layer whose fast answers end busy: health, or the functional check where there is no health route. */
export const calmLayer = (target: Target) => (target.http || !target.functional ? 'http' : 'functional')

/** Health slow or timing out, or the functional check timing out: what a busy GPU looks like. */
export function isSlowSign(e: Evidence): boolean {
  if (e.layer === 'http') return e.ok ? e.slow === true : e.kind === 'timeout'
  return e.layer === 'functional' && !e.ok && e.kind === 'timeout'
}

/** Evidence that counts in degraded's failure share: app answers, slow signs aside. */
export const countsForMix = (e: Evidence) => !isPortLayer(e) && !isSlowSign(e)
