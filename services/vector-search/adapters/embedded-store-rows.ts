/**
 * The embedded store's SQLite side: the schema, and points checked and turned into rows before any
 * write starts (a bad vector anywhere in a batch refuses the batch, so nothing is half-written).
 */
import { type Point, StoreError } from '../domain/store/ports.ts'
import type { CollectionIndex, IndexedPoint } from './embedded-store-index.ts'
import { bytes, signBits, storedDense } from './embedded-store-vectors.ts'

export const MIGRATIONS = [
  `CREATE TABLE collections (name TEXT PRIMARY KEY, spec TEXT NOT NULL) STRICT;
   CREATE TABLE points (
     collection TEXT NOT NULL REFERENCES collections(name) ON DELETE CASCADE,
     id TEXT NOT NULL,
     tenant TEXT,
     payload TEXT NOT NULL,
     dense BLOB NOT NULL,
     bits BLOB NOT NULL,
     sparse_indices BLOB NOT NULL,
     sparse_values BLOB NOT NULL,
     UNIQUE (collection, id)
   ) STRICT;`,
]

export const SQL = {
  upsert: `INSERT INTO points (collection, id, tenant, payload, dense, bits, sparse_indices, sparse_values)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (collection, id) DO UPDATE SET tenant = excluded.tenant, payload = excluded.payload,
      dense = excluded.dense, bits = excluded.bits, sparse_indices = excluded.sparse_indices,
      sparse_values = excluded.sparse_values
    RETURNING rowid AS rowid`,
  deleteRows: 'DELETE FROM points WHERE rowid IN (SELECT value FROM json_each(?))',
  dense: 'SELECT rowid AS rowid, dense FROM points WHERE rowid IN (SELECT value FROM json_each(?))',
  load: `SELECT rowid AS rowid, id, tenant, payload, bits, sparse_indices AS si, sparse_values AS sv
    FROM points WHERE collection = ? ORDER BY rowid`,
}

export interface LoadedRow {
  rowid: number
  id: string
  tenant: string | null
  payload: string
  bits: Uint8Array
  si: Uint8Array
  sv: Uint8Array
}

/** A point ready to write: the SQL parameters, and what the index takes once the write committed. */
export interface PreparedPoint {
  params: (string | null | Uint8Array)[]
  indexed: Omit<IndexedPoint, 'rowid'>
}

const badVector = (message: string) => new StoreError('bad_vector', message)

export function checkDense(vector: readonly number[] | undefined, size: number): readonly number[] {
  if (!vector || vector.length !== size)
    throw badVector(`dense vector has ${vector?.length ?? 0} dimensions, the collection ${size}`)
  if (!vector.every(Number.isFinite))
    throw badVector('dense vector holds a value that is not a finite number')
  return vector
}

/** Qdrant's rules: same lengths, unique non-negative u32 indices; stored sorted by index. */
export function checkSparse(sparse: { indices: number[]; values: number[] }): {
  indices: Uint32Array
  values: Float32Array
} {
  const { indices, values } = sparse
  if (indices.length !== values.length) throw badVector('sparse vector: indices and values differ in length')
  const order = indices.map((_, i) => i).sort((a, b) => indices[a]! - indices[b]!)
  const outIndices = new Uint32Array(indices.length)
  const outValues = new Float32Array(indices.length)
  order.forEach((from, to) => {
    const index = indices[from]!
    if (!Number.isInteger(index) || index < 0 || index > 0xffffffff)
      throw badVector('sparse vector: bad index')
    if (to > 0 && outIndices[to - 1] === index) throw badVector('sparse vector: repeated index')
    if (!Number.isFinite(values[from]!)) throw badVector('sparse vector: a value is not a finite number')
    outIndices[to] = index
    outValues[to] = values[from]!
  })
  return { indices: outIndices, values: outValues }
}

export function preparePoints(
  index: CollectionIndex,
  tenant: string | undefined,
  points: Point[],
): PreparedPoint[] {
  const { spec } = index
  return points.map((point) => {
    const dense = storedDense(checkDense(point.dense, spec.dense.size), spec.dense.distance)
    const sparse = checkSparse(point.sparse)
    const bits = signBits(dense)
    const payload =
      spec.tenantField && tenant !== undefined
        ? { ...point.payload, [spec.tenantField]: tenant }
        : point.payload
    return {
      params: [
        spec.name,
        point.id,
        spec.tenantField ? (tenant ?? null) : null,
        JSON.stringify(payload),
        bytes(dense),
        bytes(bits),
        bytes(sparse.indices),
        bytes(sparse.values),
      ],
      indexed: { id: point.id, tenant: spec.tenantField ? (tenant ?? null) : null, payload, bits, sparse },
    }
  })
}
