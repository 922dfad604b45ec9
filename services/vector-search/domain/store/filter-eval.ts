/**
 * Qdrant's filter semantics over one point's id and payload, for the embedded store (Qdrant
 * evaluates its own). Following Qdrant: a key is a dotted path; an array value matches when any
 * element does; a missing key fails every match and range (and `is_empty` holds for missing, null
 * and []); `must` needs all, `should` at least one when present, `must_not` none.
 */
import type { Condition, Filter } from './ports.ts'

/** The values a dotted key names, arrays flattened one level (as Qdrant does). */
function valuesAt(payload: Record<string, unknown>, key: string): unknown[] {
  let current: unknown = payload
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return []
    current = (current as Record<string, unknown>)[part]
  }
  if (current === undefined) return []
  return Array.isArray(current) ? current : [current]
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/** `match.value`/`any`/`except` compare strings with strings, integers with integers, bools with bools. */
function same(stored: unknown, wanted: string | number | boolean): boolean {
  if (typeof wanted === 'number') return isInteger(stored) && stored === wanted
  return stored === wanted
}

function exceptHolds(stored: unknown, list: (string | number)[]): boolean {
  if (stored === null) return false
  if (typeof stored === 'string' || isInteger(stored)) return !list.some((v) => same(stored, v))
  return true
}

function inRange(stored: unknown, range: { gt?: number; gte?: number; lt?: number; lte?: number }): boolean {
  if (typeof stored !== 'number') return false
  if (range.gt !== undefined && !(stored > range.gt)) return false
  if (range.gte !== undefined && !(stored >= range.gte)) return false
  if (range.lt !== undefined && !(stored < range.lt)) return false
  if (range.lte !== undefined && !(stored <= range.lte)) return false
  return true
}

function conditionHolds(c: Condition, id: string, payload: Record<string, unknown>): boolean {
  if ('has_id' in c) return c.has_id.includes(id)
  if (!('key' in c)) return filterHolds(c, id, payload)
  const values = valuesAt(payload, c.key)
  if ('is_empty' in c) return values.every((v) => v === null)
  if ('range' in c) return values.some((v) => inRange(v, c.range))
  const m = c.match
  if ('value' in m) return values.some((v) => same(v, m.value))
  if ('any' in m) return values.some((v) => m.any.some((w) => same(v, w)))
  return values.some((v) => exceptHolds(v, m.except))
}

export function filterHolds(filter: Filter, id: string, payload: Record<string, unknown>): boolean {
  if (filter.must && !filter.must.every((c) => conditionHolds(c, id, payload))) return false
  if (filter.should?.length && !filter.should.some((c) => conditionHolds(c, id, payload))) return false
  if (filter.must_not?.some((c) => conditionHolds(c, id, payload))) return false
  return true
}

/** True when the filter has no condition at all, so a store can skip evaluating it. */
export function isEmptyFilter(filter: Filter | undefined): boolean {
  return !filter || (!filter.must?.length && !filter.should?.length && !filter.must_not?.length)
}
