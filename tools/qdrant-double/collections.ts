/**
 * The double's state: collections of points with named dense and sparse vectors, payload indexes,
 * and the point operations (upsert, delete, scroll, count) with Qdrant's validation messages.
 * Failures are `DoubleError`s carrying the status and message Qdrant answers with.
 */
import { matchesFilter, type StoredPayloadPoint } from './filter.ts'
import type { ExtendedPointId, Filter, PointStruct, SparseVector } from './schemas.ts'
import { type DistanceName, normalise } from './search.ts'

export class DoubleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface StoredPoint extends StoredPayloadPoint {
  key: string
  dense: Map<string, number[]>
  sparse: Map<string, SparseVector>
  version: number
}

export interface IndexEntry {
  type: string
  params?: Record<string, unknown>
}

export interface Collection {
  name: string
  dense: Map<string, { size: number; distance: DistanceName }>
  sparse: Map<string, { modifier?: 'none' | 'idf' | null }>
  indexes: Map<string, IndexEntry>
  points: Map<string, StoredPoint>
  version: number
}

export const notFound = (name: string) =>
  new DoubleError(404, `Not found: Collection \`${name}\` doesn't exist!`)
export const wrongInput = (message: string) => new DoubleError(400, `Wrong input: ${message}`)

/** A point id as a map key: UUIDs lower-case with hyphens (Qdrant's own form), integers as text. */
export function idKey(id: unknown): string {
  if (typeof id === 'number') return `#${id}`
  const hex = String(id).replaceAll('-', '').toLowerCase()
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The id as Qdrant answers it. */
export function outputId(key: string): ExtendedPointId {
  return key.startsWith('#') ? Number(key.slice(1)) : key
}

/** Scroll order: integer ids first by value, then UUIDs by their bytes. */
export function compareKeys(a: string, b: string): number {
  const an = a.startsWith('#')
  const bn = b.startsWith('#')
  if (an && bn) return Number(a.slice(1)) - Number(b.slice(1))
  if (an !== bn) return an ? -1 : 1
  return a < b ? -1 : a > b ? 1 : 0
}

function vectorError(message: string) {
  return wrongInput(message)
}

function toStored(c: Collection, p: PointStruct): StoredPoint {
  const dense = new Map<string, number[]>()
  const sparse = new Map<string, SparseVector>()
  const named: Record<string, unknown> = Array.isArray(p.vector) ? { '': p.vector } : p.vector
  for (const [name, v] of Object.entries(named)) {
    const denseParams = c.dense.get(name)
    if (denseParams) {
      if (!Array.isArray(v)) throw vectorError('Conversion between sparse and regular vectors failed')
      if (v.length !== denseParams.size)
        throw vectorError(`Vector dimension error: expected dim: ${denseParams.size}, got ${v.length}`)
      dense.set(name, denseParams.distance === 'Cosine' ? normalise(v) : v)
    } else if (c.sparse.has(name)) {
      if (Array.isArray(v)) throw vectorError('Conversion between sparse and regular vectors failed')
      sparse.set(name, v as SparseVector)
    } else {
      throw vectorError(`Not existing vector name error: ${name}`)
    }
  }
  return { key: idKey(p.id), id: p.id, dense, sparse, payload: p.payload ?? {}, version: 0 }
}

export function upsertPoints(c: Collection, points: PointStruct[]): number {
  // Every point is checked before any is written, as Qdrant validates a request whole.
  const stored = points.map((p) => toStored(c, p))
  c.version += 1
  for (const p of stored) c.points.set(p.key, { ...p, version: c.version })
  return c.version
}

export function selectKeys(
  c: Collection,
  selector: { points: ExtendedPointId[] } | { filter: Filter },
): string[] {
  if ('points' in selector) return selector.points.map(idKey).filter((k) => c.points.has(k))
  return [...c.points.values()].filter((p) => matchesFilter(selector.filter, p, idKey)).map((p) => p.key)
}

export function deletePoints(c: Collection, keys: string[]): number {
  c.version += 1
  for (const k of keys) c.points.delete(k)
  return c.version
}

export function matching(c: Collection, filter: Filter | null | undefined): StoredPoint[] {
  return [...c.points.values()].filter((p) => matchesFilter(filter, p, idKey))
}

export function payloadOut(p: StoredPoint, withPayload: boolean | string[] | null | undefined) {
  if (!withPayload) return null
  if (withPayload === true) return p.payload
  return Object.fromEntries(Object.entries(p.payload).filter(([k]) => withPayload.includes(k)))
}
