/**
 * Qdrant's filter semantics, as its documentation states them ("Filtering"): `must` all hold,
 * `should` at least one holds (when given), `must_not` none holds; a condition on an array payload
 * holds when any element satisfies it; a condition on a missing key is false, except `is_empty`
 * (missing, null or []) and `is_null`. `match.value` compares strings, integers and booleans
 * exactly; `match.any`/`except` take a list of strings or of integers; `range` compares numbers.
 */
import type { Condition, Filter } from './schemas.ts'

export interface StoredPayloadPoint {
  id: string | number
  payload: Record<string, unknown>
}

const asList = <T>(v: T | T[] | null | undefined): T[] => (v == null ? [] : Array.isArray(v) ? v : [v])

/** The values at a dotted path; arrays along the way are flattened, as Qdrant does. */
function valuesAt(payload: Record<string, unknown>, key: string): unknown[] {
  let current: unknown[] = [payload]
  for (const part of key.split('.')) {
    const next: unknown[] = []
    for (const v of current) {
      if (v && typeof v === 'object' && !Array.isArray(v) && part in v)
        next.push((v as Record<string, unknown>)[part])
    }
    current = next.flatMap((v) => (Array.isArray(v) ? v : [v]))
  }
  return current
}

/** The raw value at a dotted path (no flattening), or undefined. */
function rawAt(payload: Record<string, unknown>, key: string): unknown {
  let v: unknown = payload
  for (const part of key.split('.')) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

const isEmptyValue = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0)

function matchOne(match: NonNullable<Extract<Condition, { key: string }>['match']>, v: unknown): boolean {
  if ('value' in match) {
    if (typeof match.value === 'number')
      return typeof v === 'number' && Number.isInteger(v) && v === match.value
    return v === match.value
  }
  const list = 'any' in match ? match.any : match.except
  const inList =
    (typeof v === 'string' && (list as unknown[]).includes(v)) ||
    (typeof v === 'number' && Number.isInteger(v) && (list as unknown[]).includes(v))
  if ('any' in match) return inList
  // `except` holds for any stored value that is not in the list, even of another type; null never.
  return v !== null && !inList
}

function inRange(range: NonNullable<Extract<Condition, { key: string }>['range']>, v: unknown): boolean {
  if (typeof v !== 'number') return false
  return (
    (range.gt == null || v > range.gt) &&
    (range.gte == null || v >= range.gte) &&
    (range.lt == null || v < range.lt) &&
    (range.lte == null || v <= range.lte)
  )
}

function checkCondition(
  c: Condition,
  point: StoredPayloadPoint,
  normaliseId: (id: unknown) => string,
): boolean {
  if ('has_id' in c && c.has_id) return c.has_id.some((id) => normaliseId(id) === normaliseId(point.id))
  if ('key' in c && typeof c.key === 'string') {
    const raw = rawAt(point.payload, c.key)
    if (c.is_empty != null) return isEmptyValue(raw) === c.is_empty
    if (c.is_null != null) return (raw === null) === c.is_null
    const values = valuesAt(point.payload, c.key)
    if (c.match) return values.some((v) => matchOne(c.match!, v))
    if (c.range) return values.some((v) => inRange(c.range!, v))
    return false
  }
  if ('is_empty' in c && c.is_empty && typeof c.is_empty === 'object')
    return isEmptyValue(rawAt(point.payload, c.is_empty.key))
  if ('is_null' in c && c.is_null && typeof c.is_null === 'object')
    return rawAt(point.payload, c.is_null.key) === null
  return matchesFilter(c as Filter, point, normaliseId)
}

export function matchesFilter(
  filter: Filter | null | undefined,
  point: StoredPayloadPoint,
  normaliseId: (id: unknown) => string,
): boolean {
  if (!filter) return true
  const holds = (c: Condition) => checkCondition(c, point, normaliseId)
  const should = asList(filter.should)
  const minShould = filter.min_should
  return (
    asList(filter.must).every(holds) &&
    (should.length === 0 || should.some(holds)) &&
    !asList(filter.must_not).some(holds) &&
    (!minShould || minShould.conditions.filter(holds).length >= minShould.min_count)
  )
}

/** Both filters must hold: how Qdrant carries a query's top-level filter into its prefetches. */
export const bothFilters = (
  a: Filter | null | undefined,
  b: Filter | null | undefined,
): Filter | undefined => (a && b ? { must: [a, b] } : (a ?? b ?? undefined))
