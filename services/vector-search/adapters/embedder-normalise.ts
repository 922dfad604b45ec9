/**
 * Every server's answer in the one form the domain gets (domain/embed/ports.ts): dense vectors of the
 * model's size, L2-normalised; sparse vectors with integer token ids ascending and unique and weights
 * above zero. Anything else is the server's fault (`malformed`, a 502), never passed on.
 */

import { EmbedderError } from '../domain/embed/ports.ts'
import type { SparseVector } from '../domain/store/ports.ts'

const malformed = (what: string) => new EmbedderError('malformed', `The embeddings server answered ${what}.`)

/** Token ids are vocabulary positions: small non-negative integers (Qdrant takes u32). */
const MAX_TOKEN_ID = 2 ** 32 - 1

export function unitDense(value: unknown, dim: number): number[] {
  if (!Array.isArray(value) || value.length !== dim)
    throw malformed(`a dense vector of ${Array.isArray(value) ? value.length : 'no'} dimensions, not ${dim}`)
  let norm = 0
  for (const x of value) {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw malformed('a dense vector with a non-number')
    norm += x * x
  }
  if (norm === 0) throw malformed('a dense vector of zeros')
  const length = Math.sqrt(norm)
  return value.map((x: number) => x / length)
}

/** Pairs of (token id, weight) in any order, possibly repeated: the largest weight of an id wins. */
export function sparseFromPairs(pairs: Iterable<readonly [unknown, unknown]>): SparseVector {
  const best = new Map<number, number>()
  for (const [id, weight] of pairs) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_TOKEN_ID)
      throw malformed(`a sparse vector with a token id that is not one (${String(id).slice(0, 40)})`)
    if (typeof weight !== 'number' || !Number.isFinite(weight))
      throw malformed('a sparse vector with a weight that is not a number')
    if (weight > 0 && weight > (best.get(id) ?? 0)) best.set(id, weight)
  }
  const indices = [...best.keys()].sort((a, b) => a - b)
  return { indices, values: indices.map((i) => best.get(i)!) }
}

/**
 * The sparse shapes servers answer: `{indices, values}`, FlagEmbedding's `lexical_weights` map
 * (`{"<token id>": weight}`; a key that is not a token id — a token's text — is refused), and TEI's
 * `[{index, value}]`.
 */
export function parseSparse(value: unknown): SparseVector {
  if (Array.isArray(value))
    return sparseFromPairs(
      value.map((entry) => {
        const e = entry as { index?: unknown; value?: unknown } | null
        if (typeof e !== 'object' || e === null) throw malformed('a sparse entry that is not {index, value}')
        return [e.index, e.value] as const
      }),
    )
  if (typeof value !== 'object' || value === null) throw malformed('a sparse vector that is not an object')
  const v = value as Record<string, unknown>
  if (Array.isArray(v.indices) && Array.isArray(v.values)) {
    if (v.indices.length !== v.values.length)
      throw malformed('a sparse vector with unequal indices and values')
    const values = v.values
    return sparseFromPairs(v.indices.map((id, i) => [id, values[i]] as const))
  }
  return sparseFromPairs(
    Object.entries(v).map(([key, weight]) => {
      if (!/^\d{1,10}$/.test(key)) throw malformed('lexical weights keyed by something other than token ids')
      return [Number(key), weight] as const
    }),
  )
}

/** A list of exactly `count` items, or the server lost or invented some. */
export function listOf(value: unknown, count: number, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(`no list of ${what}`)
  if (value.length !== count) throw malformed(`${value.length} ${what} for ${count} inputs`)
  return value
}

/** OpenAI-shape `data` ordered by `index` (a server may answer out of order). */
export function byIndex<T>(data: unknown, count: number, what: string): T[] {
  const list = listOf(data, count, what) as T[]
  const out = new Array<T>(count)
  for (const item of list) {
    const i = (item as { index?: unknown } | null)?.index
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count || out[i])
      throw malformed(`${what} with a missing or repeated index`)
    out[i] = item
  }
  return out
}

export { malformed }
