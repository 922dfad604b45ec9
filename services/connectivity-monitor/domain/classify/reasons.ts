/** The plain-English `reason` of each change: what was seen, in the owner's words, not codes. */
import type { Evidence, EvidenceLayer, FailureKind } from '../ports.ts'

const NOUN: Record<EvidenceLayer, string> = {
  tcp: 'TCP connect',
  ssh: 'SSH',
  http: 'health',
  functional: 'the functional check',
  passive: 'real requests',
}

const FAILED: Record<FailureKind, string | ((noun: string) => string)> = {
  refused: 'connection refused',
  reset: 'connection reset',
  unreachable: 'host unreachable',
  dns: 'name not resolved',
  timeout: (noun) => `${noun} timed out`,
  http_5xx: (noun) => `${noun} answered 5xx`,
  bad_status: (noun) => `${noun} answered an unexpected status`,
  other: (noun) => `${noun} failed`,
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${Number((ms / 1000).toFixed(1))} s`
}

const times = (n: number) => (n === 1 ? '' : n === 2 ? ' twice' : ` ${n} times`)

function phrase(e: Evidence): string {
  const noun = NOUN[e.layer]
  if (e.ok) return e.slow ? `${noun} slow` : `${noun} ok`
  const said = FAILED[e.kind ?? 'other']
  return typeof said === 'string' ? said : said(noun)
}

/** "connection refused twice", "health timed out 3 times (1.5 s)", "… , then …" for a mix. */
export function story(evidence: readonly Evidence[]): string {
  const groups = new Map<string, { n: number; latency: number; timed: boolean }>()
  for (const e of evidence) {
    const key = phrase(e)
    const group = groups.get(key) ?? { n: 0, latency: 0, timed: e.slow === true || e.kind === 'timeout' }
    group.n++
    group.latency = Math.max(group.latency, e.latencyMs)
    groups.set(key, group)
  }
  return [...groups]
    .map(([key, g]) => `${key}${times(g.n)}${g.timed ? ` (${duration(g.latency)})` : ''}`)
    .join(', then ')
}

export function downReason(failures: readonly Evidence[], hard: boolean): string {
  return hard ? story(failures) : `${story(failures)}, with nothing answering in between`
}

/** "health timed out twice (1.5 s) while 3 real requests succeeded". */
export function busyReason(
  slowSigns: readonly Evidence[],
  alive: { passive: number; functional: Evidence | null },
) {
  const seen = story(slowSigns)
  if (alive.passive > 0)
    return `${seen} while ${alive.passive} real request${alive.passive === 1 ? '' : 's'} succeeded`
  if (alive.functional)
    return `${seen} while the functional check answered in ${duration(alive.functional.latencyMs)}`
  return `${seen}: slow, but answering`
}

export function degradedReason(failures: readonly Evidence[], counts: { ok: number; failed: number }) {
  const total = counts.ok + counts.failed
  return `${counts.failed} of ${total} answers failed in the last 30 s (${story(failures)}) while others succeed`
}

export const upReason = (successes: readonly Evidence[]) => `answering: ${story(successes)}`
export const calmReason = (n: number) => `health fast again (${n} answers under the slow threshold)`
export const clearedReason = (n: number) => `no failures in the last ${n} answers`
export const staleReason = (ms: number) => `no evidence for ${duration(ms)}`
export const maintenanceReason = (why: string) => `planned maintenance: ${why}`
export const MAINTENANCE_ENDED = 'maintenance ended; waiting for evidence'
