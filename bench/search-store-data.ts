/**
 * The corpus bench/search-store.ts loads: seeded, shaped like bge-m3 output rather than uniform
 * noise. Dense: unit vectors around 1,000 topic centroids that share a common direction (real
 * embeddings are anisotropic: two unrelated chunks still score ~0.3–0.5), so sign bits carry less
 * information than on random data. Sparse: ~60 tokens per chunk from a Zipf vocabulary of 30,000
 * (a few tokens sit in most chunks, as bge-m3's low-weight function words do), weights 0.02–0.35.
 * Payload: a document id (8 chunks each), a language (5 % 'es', the selective filter), a year.
 */
import type { Point, SparseVector } from '../services/vector-search/domain/store/ports.ts'
import { seededRandom } from '../shared/random.ts'

export const DIMS = 1024
const TOPICS = 1000
const VOCABULARY = 30_000
const TOKENS_PER_CHUNK = 60
const LANGS = [
  ['en', 0.55],
  ['de', 0.25],
  ['fr', 0.15],
  ['es', 0.05],
] as const

export interface Corpus {
  /** Points `from … from + count − 1`, generated on demand (the whole corpus is never in memory). */
  batch(from: number, count: number): Point[]
  /** A query near point `n`: its dense vector moved off a little, some of its tokens and a stray one. */
  queryNear(n: number): { dense: number[]; sparse: SparseVector }
}

export function corpus(seed: number): Corpus {
  const random = seededRandom(seed)
  const gaussian = () => {
    const u = random() || 1e-12
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  }
  const unit = (v: Float64Array) => {
    const norm = Math.hypot(...v)
    return Array.from(v, (x) => x / norm)
  }
  const common = Float64Array.from({ length: DIMS }, gaussian).map((x) => x / Math.sqrt(DIMS))
  const centroids = Array.from({ length: TOPICS }, () =>
    Float64Array.from({ length: DIMS }, gaussian).map((x, i) => x / Math.sqrt(DIMS) + 0.8 * common[i]!),
  )
  const zipf = new Float64Array(VOCABULARY)
  let total = 0
  for (let r = 0; r < VOCABULARY; r++) zipf[r] = total += 1 / (r + 1)
  const token = (rng: () => number) => {
    const x = rng() * total
    let lo = 0
    let hi = VOCABULARY - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (zipf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  const pointAt = (n: number): Point => {
    const rng = seededRandom(seed * 1_000_003 + n)
    const g = () => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng())
    const centroid = centroids[Math.floor(rng() * TOPICS)]!
    const dense = unit(Float64Array.from(centroid, (c) => c + (0.9 * g()) / Math.sqrt(DIMS)))
    const weights = new Map<number, number>()
    while (weights.size < TOKENS_PER_CHUNK) weights.set(token(rng), 0.02 + 0.33 * rng())
    const indices = [...weights.keys()].sort((a, b) => a - b)
    const pick = rng()
    let lang = 'en'
    for (let i = 0, below = 0; i < LANGS.length; i++) {
      below += LANGS[i]![1]
      if (pick < below) {
        lang = LANGS[i]![0]
        break
      }
    }
    return {
      id: uuidOf(n),
      dense,
      sparse: { indices, values: indices.map((i) => weights.get(i)!) },
      payload: { doc: `doc-${Math.floor(n / 8)}`, chunk: n % 8, lang, year: 2000 + (n % 25) },
    }
  }

  return {
    batch: (from, count) => Array.from({ length: count }, (_, i) => pointAt(from + i)),
    queryNear(n) {
      const source = pointAt(n)
      const dense = unit(Float64Array.from(source.dense, (x) => x + (0.6 * gaussian()) / Math.sqrt(DIMS)))
      const picked = new Map<number, number>()
      for (let i = 0; i < 6; i++)
        picked.set(source.sparse.indices[Math.floor(random() * 60)]!, 0.1 + 0.25 * random())
      picked.set(token(random), 0.1)
      const indices = [...picked.keys()].sort((a, b) => a - b)
      return { dense, sparse: { indices, values: indices.map((i) => picked.get(i)!) } }
    },
  }
}

export const uuidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
