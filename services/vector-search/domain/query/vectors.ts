/** A caller's own vectors checked against the collection before any store sees them (400 `bad_vector`). */
import type { SparseVector } from '../store/ports.ts'
import { invalid } from './errors.ts'

export function checkDense(vector: number[], size: number, what = 'dense'): number[] {
  if (vector.length !== size)
    throw invalid(
      'bad_vector',
      `${what} has ${vector.length} dimensions; the collection's dense vector has ${size}.`,
    )
  if (!vector.every(Number.isFinite))
    throw invalid('bad_vector', `${what} holds a value that is not a finite number.`)
  return vector
}

/** Indices sorted ascending (Qdrant accepts any order); duplicates and mismatched lengths are refused. */
export function checkSparse(vector: SparseVector, what = 'sparse'): SparseVector {
  const { indices, values } = vector
  if (indices.length !== values.length)
    throw invalid('bad_vector', `${what} has ${indices.length} indices but ${values.length} values.`)
  if (!values.every(Number.isFinite))
    throw invalid('bad_vector', `${what} holds a value that is not a finite number.`)
  const order = indices.map((_, i) => i).sort((a, b) => (indices[a] as number) - (indices[b] as number))
  const sorted = {
    indices: order.map((i) => indices[i] as number),
    values: order.map((i) => values[i] as number),
  }
  for (let i = 1; i < sorted.indices.length; i++)
    if (sorted.indices[i] === sorted.indices[i - 1])
      throw invalid('bad_vector', `${what} repeats the index ${sorted.indices[i]}.`)
  return sorted
}
