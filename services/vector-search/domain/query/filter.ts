/**
 * Reads a client's filter into the store port's `Filter` (Qdrant's tree, the subset both stores
 * implement). Everything outside the subset is a 400 naming where it is, so a filter is never
 * half-understood and silently widened.
 */
import type { Condition, Filter } from '../store/ports.ts'
import { invalid } from './errors.ts'

const MAX_DEPTH = 4
const MAX_CONDITIONS = 256
const CLAUSES = ['must', 'should', 'must_not'] as const
const KEY = /^[A-Za-z_][A-Za-z0-9_.]{0,199}$/

type Json = Record<string, unknown>

export function parseFilter(input: unknown): Filter {
  const budget = { left: MAX_CONDITIONS }
  return readFilter(input, 'filter', 0, budget)
}

function readFilter(input: unknown, at: string, depth: number, budget: { left: number }): Filter {
  if (depth > MAX_DEPTH) throw bad(at, `nested more than ${MAX_DEPTH} levels`)
  const obj = asObject(input, at)
  const unknown = Object.keys(obj).filter((k) => !(CLAUSES as readonly string[]).includes(k))
  if (unknown.length > 0) throw bad(at, `unknown clause ${unknown[0]} (must, should, must_not)`)
  const filter: Filter = {}
  for (const clause of CLAUSES) {
    const list = obj[clause]
    if (list === undefined) continue
    if (!Array.isArray(list)) throw bad(`${at}.${clause}`, 'must be a list of conditions')
    budget.left -= list.length
    if (budget.left < 0) throw bad(at, `more than ${MAX_CONDITIONS} conditions`)
    filter[clause] = list.map((c, i) => readCondition(c, `${at}.${clause}.${i}`, depth, budget))
  }
  return filter
}

function readCondition(input: unknown, at: string, depth: number, budget: { left: number }): Condition {
  const obj = asObject(input, at)
  if (CLAUSES.some((c) => c in obj)) return readFilter(obj, at, depth + 1, budget)
  if ('has_id' in obj) {
    const ids = obj.has_id
    if (!Array.isArray(ids) || ids.length > 1000 || !ids.every((id) => typeof id === 'string'))
      throw bad(`${at}.has_id`, 'must be a list of point ids (strings)')
    return { has_id: ids as string[] }
  }
  const key = obj.key
  if (typeof key !== 'string' || !KEY.test(key)) throw bad(`${at}.key`, 'must be a payload field name')
  // The match kinds are separate members of Condition; TS cannot spread one union into them.
  if ('match' in obj) return { key, match: readMatch(obj.match, `${at}.match`) } as Condition
  if ('range' in obj) return { key, range: readRange(obj.range, `${at}.range`) }
  if (obj.is_empty === true) return { key, is_empty: true }
  throw bad(at, 'a condition needs match, range, is_empty: true, has_id or a nested filter')
}

function readMatch(
  input: unknown,
  at: string,
): { value: string | number | boolean } | { any: (string | number)[] } | { except: (string | number)[] } {
  const obj = asObject(input, at)
  if ('value' in obj) {
    const v = obj.value
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      return { value: v }
    throw bad(`${at}.value`, 'must be a string, number or boolean')
  }
  for (const kind of ['any', 'except'] as const) {
    if (!(kind in obj)) continue
    const list = obj[kind]
    if (!Array.isArray(list) || list.length > 1000 || !list.every(isKeyword))
      throw bad(`${at}.${kind}`, 'must be a list of strings or numbers')
    return kind === 'any' ? { any: list } : { except: list }
  }
  throw bad(at, 'needs value, any or except')
}

function readRange(input: unknown, at: string) {
  const obj = asObject(input, at)
  const range: { gt?: number; gte?: number; lt?: number; lte?: number } = {}
  for (const [bound, v] of Object.entries(obj)) {
    if (bound !== 'gt' && bound !== 'gte' && bound !== 'lt' && bound !== 'lte')
      throw bad(`${at}.${bound}`, 'unknown bound (gt, gte, lt, lte)')
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${at}.${bound}`, 'must be a number')
    range[bound] = v
  }
  if (Object.keys(range).length === 0) throw bad(at, 'needs at least one bound')
  return range
}

const isKeyword = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))

function asObject(input: unknown, at: string): Json {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad(at, 'must be an object')
  return input as Json
}

const bad = (at: string, why: string) => invalid('bad_filter', `${at}: ${why}.`)
