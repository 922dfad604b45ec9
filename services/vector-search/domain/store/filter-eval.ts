/**
 * Qdrant's filter semantics over one point's id and payload, for the embedded store (Qdrant
 * evaluates its own). Following Qdrant: a key is a dotted path; an array value matches when any
 * element does; a missing key fails every match and range (and `is_empty` holds for missing, null
 * and []); `must` needs all, `should` at least one when present, `must_not` none.
 */
import type { Condition, Filter } from './ports.ts'

type Check = (id: string, payload: Record<string, unknown>) => boolean

/** The value a dotted key names (undefined when any step is missing). */
function valueAt(payload: Record<string, unknown>, path: string[]): unknown {
  let current: unknown = payload
  for (const part of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

/** Whether any of the key's values passes (an array's elements one by one, as Qdrant does). */
function anyValue(key: string, pass: (stored: unknown) => boolean): Check {
  const path = key.split('.')
  return (_id, payload) => {
    const value = path.length === 1 ? payload[key] : valueAt(payload, path)
    if (value === undefined) return false
    return Array.isArray(value) ? value.some(pass) : pass(value)
  }
}

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

/** `match.value`/`any`/`except` compare strings with strings, integers with integers, bools with bools. */
function same(stored: unknown, wanted: string | number | boolean): boolean {
  if (typeof wanted === 'number') return isInteger(stored) && stored === wanted
  return stored === wanted
}

function exceptHolds(stored: unknown, list: Set<string | number>): boolean {
  if (stored === null) return false
  if (typeof stored === 'string' || isInteger(stored)) return !list.has(stored)
  return true
}

function inRange(range: { gt?: number; gte?: number; lt?: number; lte?: number }) {
  const { gt = -Infinity, gte = -Infinity, lt = Infinity, lte = Infinity } = range
  return (stored: unknown) =>
    typeof stored === 'number' && stored > gt && stored >= gte && stored < lt && stored <= lte
}

function compileCondition(c: Condition): Check {
  if ('has_id' in c) {
    const ids = new Set(c.has_id)
    return (id) => ids.has(id)
  }
  if (!('key' in c)) return compileFilter(c)
  if ('is_empty' in c) {
    const path = c.key.split('.')
    return (_id, payload) => {
      const value = valueAt(payload, path)
      return value === undefined || value === null || (Array.isArray(value) && value.every((v) => v === null))
    }
  }
  if ('range' in c) return anyValue(c.key, inRange(c.range))
  const m = c.match
  if ('value' in m) return anyValue(c.key, (v) => same(v, m.value))
  if ('any' in m) {
    const strings = new Set(m.any.filter((v) => typeof v === 'string'))
    const integers = new Set(m.any.filter((v) => typeof v === 'number'))
    return anyValue(c.key, (v) => (typeof v === 'string' ? strings.has(v) : isInteger(v) && integers.has(v)))
  }
  const except = new Set(m.except)
  return anyValue(c.key, (v) => exceptHolds(v, except))
}

/** The filter as one predicate, its keys split and its lists made sets once per query. */
export function compileFilter(filter: Filter): Check {
  const must = (filter.must ?? []).map(compileCondition)
  const should = (filter.should ?? []).map(compileCondition)
  const mustNot = (filter.must_not ?? []).map(compileCondition)
  return (id, payload) => {
    for (const check of must) if (!check(id, payload)) return false
    if (should.length > 0 && !should.some((check) => check(id, payload))) return false
    for (const check of mustNot) if (check(id, payload)) return false
    return true
  }
}

/** True when the filter has no condition at all, so a store can skip evaluating it. */
export function isEmptyFilter(filter: Filter | undefined): boolean {
  return !filter || (!filter.must?.length && !filter.should?.length && !filter.must_not?.length)
}
