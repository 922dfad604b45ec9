/**
 * The History page's filters, read from its plain GET form (no JavaScript needed): service, actor,
 * action (or its start), outcome, and a time range. The form's local date-times are read as UTC,
 * as the page shows every time in UTC. A value the API would refuse is dropped and named.
 */
import { mergedAuditQuerySchema } from '../../shared/contracts/audit.ts'
import type { AuditViewQuery } from './source.ts'

export const PAGE_ROWS = 200
export const OUTCOME_CHOICES = ['ok', 'refused', 'failed', 'ready', 'rolled_back', 'cancelled'] as const

export interface HistoryFilters {
  /** What the form shows again (as typed). */
  form: Record<'service' | 'actor' | 'action' | 'outcome' | 'since' | 'until', string>
  query: AuditViewQuery
  /** Fields whose value was not usable and was left out. */
  ignored: string[]
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/

/** `2026-03-01T10:00` (the form) → `2026-03-01T10:00:00Z`; an ISO time with an offset passes as is. */
function asUtc(value: string): string {
  return LOCAL_TIME.test(value) ? `${value.length === 16 ? `${value}:00` : value}Z` : value
}

export function readFilters(get: (name: string) => string | undefined): HistoryFilters {
  const text = (name: string) => (get(name) ?? '').trim().slice(0, 200)
  const form = {
    service: text('service'),
    actor: text('actor'),
    action: text('action'),
    outcome: text('outcome'),
    since: text('since'),
    until: text('until'),
  }
  const query: Record<string, string> = { limit: String(PAGE_ROWS) }
  const ignored: string[] = []
  for (const [name, raw] of Object.entries(form)) {
    if (!raw) continue
    const value = name === 'since' || name === 'until' ? asUtc(raw) : raw
    const one = mergedAuditQuerySchema.safeParse({ [name]: value })
    if (one.success) query[name] = value
    else ignored.push(name)
  }
  return { form, query: query as AuditViewQuery, ignored }
}
