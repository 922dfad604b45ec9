/**
 * Evidence as the record keeps it: the contract's wire form, bounded — an outage that lasts a day
 * gathers thousands of probes, and only how it began and how it ended explain it.
 */
import type { EvidenceItem } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { Evidence } from '../ports.ts'

export const MAX_EVIDENCE = 20
/** The earlier version's relay cut error text to 280 characters; details are kept to the same. */
export const MAX_DETAIL = 280

export const isoUtc = (ms: number): string => new Date(ms).toISOString()

export function evidenceItem(evidence: Evidence): EvidenceItem {
  return {
    layer: evidence.layer,
    at: isoUtc(evidence.at),
    ok: evidence.ok,
    ...(evidence.kind ? { kind: evidence.kind } : {}),
    latency_ms: Math.round(evidence.latencyMs),
    ...(evidence.detail ? { detail: evidence.detail.slice(0, MAX_DETAIL) } : {}),
    source: evidence.source,
  }
}

/** At most `max` items: the first half (how it began) and the latest (how it stands or ended). */
export function boundEvidence<T>(items: readonly T[], max = MAX_EVIDENCE): T[] {
  if (items.length <= max) return [...items]
  const head = Math.ceil(max / 2)
  return [...items.slice(0, head), ...items.slice(items.length - (max - head))]
}
