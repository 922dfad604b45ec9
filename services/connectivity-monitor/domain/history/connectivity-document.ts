/**
 * The earlier version's `connectivity.json`, kept exactly for the readers that parse it: one JSON
 * document with `macs` (a cache of the nodes' MAC addresses, kept as found), `current`
 * (`{subject: "up" | "down"}`), `last_change` (`{subject: ISO "…Z"}`) and `events`, a rolling
 * window of transitions (`{subject, at, transition, down_seconds?, kind: "transition"}`) and
 * reports from `POST /api/health-event` (`{subject, at, kind: "report", ok, source, detail,
 * latency_ms}`). Keys this code does not know are kept as they were.
 */
import type { TargetState } from '../ports.ts'
import { isoUtc } from './evidence.ts'

export type LegacyState = 'up' | 'down'

export interface ConnectivityDocument {
  macs: Record<string, unknown>
  current: Record<string, LegacyState>
  last_change: Record<string, string>
  events: Record<string, unknown>[]
  [other: string]: unknown
}

export const emptyDocument = (): ConnectivityDocument => ({
  macs: {},
  current: {},
  last_change: {},
  events: [],
})

/** Busy and degraded still answer, so the earlier up/down calls them up; maintenance and unknown say nothing. */
export function legacyStateOf(state: TargetState): LegacyState | null {
  if (state === 'down') return 'down'
  if (state === 'up' || state === 'busy' || state === 'degraded') return 'up'
  return null
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function pick<T>(value: unknown, keep: (v: unknown) => v is T): Record<string, T> {
  if (!isRecord(value)) return {}
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, T] => keep(entry[1])))
}

/** v0.5 named the subject `spark` (it only logged the nodes, and only transitions). */
function migrateEvent(event: Record<string, unknown>): Record<string, unknown> {
  if (!('spark' in event) || 'subject' in event) return event
  const { spark, ...rest } = event
  return {
    subject: spark,
    ...rest,
    ...(rest.kind === undefined && rest.transition ? { kind: 'transition' } : {}),
  }
}

/** The document in a file's text; throws when the text is not a JSON object (the caller starts afresh). */
export function parseDocument(text: string): ConnectivityDocument {
  const value: unknown = JSON.parse(text)
  if (!isRecord(value)) throw new SyntaxError('not a JSON object')
  return {
    ...value,
    macs: isRecord(value.macs) ? value.macs : {},
    current: pick(value.current, (v): v is LegacyState => v === 'up' || v === 'down'),
    last_change: pick(value.last_change, (v): v is string => typeof v === 'string'),
    events: Array.isArray(value.events) ? value.events.filter(isRecord).map(migrateEvent) : [],
  }
}

export const serializeDocument = (doc: ConnectivityDocument): string => `${JSON.stringify(doc, null, 2)}\n`

function append(doc: ConnectivityDocument, event: Record<string, unknown>, maxEvents: number): void {
  doc.events.push(event)
  if (doc.events.length > maxEvents) doc.events.splice(0, doc.events.length - maxEvents)
}

/**
 * Records `subject` becoming `state` at `at`; false (nothing written) when it already was — the
 * earlier version deduplicated the same way. The "up" that ends a "down" carries `down_seconds`.
 */
export function applyTransition(
  doc: ConnectivityDocument,
  change: { subject: string; state: LegacyState; at: number },
  maxEvents: number,
): boolean {
  const { subject, state, at } = change
  const previous = doc.current[subject]
  if (previous === state) return false
  const downSince = previous === 'down' ? Date.parse(doc.last_change[subject] ?? '') : Number.NaN
  const downSeconds = Number.isNaN(downSince) ? null : Math.max(0, Math.round((at - downSince) / 100) / 10)
  append(
    doc,
    {
      subject,
      at: isoUtc(at),
      transition: state,
      ...(state === 'up' && downSeconds !== null ? { down_seconds: downSeconds } : {}),
      kind: 'transition',
    },
    maxEvents,
  )
  doc.current[subject] = state
  doc.last_change[subject] = isoUtc(at)
  return true
}

export interface LegacyReport {
  subject: string
  at: number
  ok: boolean
  source: string
  detail: string | null
  latencyMs: number | null
}

/** A passive report: appended to `events` only; the earlier version never let one change `current`. */
export function applyReport(doc: ConnectivityDocument, report: LegacyReport, maxEvents: number): void {
  append(
    doc,
    {
      subject: report.subject,
      at: isoUtc(report.at),
      kind: 'report',
      ok: report.ok,
      source: report.source,
      detail: report.detail,
      latency_ms: report.latencyMs,
    },
    maxEvents,
  )
}
