/**
 * Deterministic stand-ins for bge-m3 and bge-reranker-v2-m3 that still carry meaning, so search and
 * rerank behave plausibly in the simulated cluster:
 *
 * - dense: feature hashing of words and character trigrams into 1024 dims (texts that share words
 *   or word stems point the same way), plus a fixed shared direction so unrelated texts sit near
 *   cosine 0.3, as real sentence embeddings do, rather than at 0;
 * - sparse: lower-cased token → stable id in bge-m3's vocabulary range, weight by token informativeness
 *   (bge-m3's lexical weights are small, ~0.0–0.4, stop words lowest);
 * - rerank: a raw logit from weighted lexical overlap (about −8 for unrelated, +5…+8 for a match),
 *   not a 0–1 probability, as the earlier version's reranker returned.
 */
export const DENSE_DIM = 1024
// bge-m3 inherits XLM-RoBERTa's vocabulary; ids 0–3 are special tokens.
export const VOCAB_SIZE = 250_002

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have he her his i if in into is it its me my no not of on ' +
    'or our she so than that the their them then there these they this to was we were what when which who ' +
    'will with you your do does did can could would should about over how why all any also just more most'
  ).split(' '),
)

export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  )
}

export const isStopword = (t: string) => STOPWORDS.has(t)

/** FNV-1a over UTF-16 code units with a seed, so several independent hashes come from one function. */
export function hash32(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(seed + 1, 0x9e3779b1)) >>> 0
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h ^= h >>> 15
  h = Math.imul(h, 0x2c1b3c6d)
  h ^= h >>> 12
  return h >>> 0
}

const SHARED = (() => {
  const v = new Float64Array(DENSE_DIM)
  for (let k = 0; k < DENSE_DIM; k++) v[k] = (hash32(`shared:${k}`) / 2 ** 32) * 2 - 1
  return normalise(v)
})()
const SHARED_WEIGHT = 0.55
const CONTENT_WEIGHT = 0.85

function normalise(v: Float64Array): Float64Array {
  const n = Math.sqrt(v.reduce((a, x) => a + x * x, 0))
  if (n > 0) for (let k = 0; k < v.length; k++) v[k]! /= n
  return v
}

function addFeature(v: Float64Array, feature: string, weight: number) {
  // Four hashed slots with signs keep collisions from adding up systematically.
  for (let k = 0; k < 4; k++) {
    const h = hash32(feature, k)
    v[h % DENSE_DIM]! += h & 0x80000000 ? -weight : weight
  }
}

export function denseEmbedding(text: string): number[] {
  const content = new Float64Array(DENSE_DIM)
  const tokens = tokenize(text)
  const tf = new Map<string, number>()
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1)
  for (const [t, n] of tf) {
    const w = (isStopword(t) ? 0.15 : 1) * (1 + Math.log(n))
    addFeature(content, `w:${t}`, w)
    if (isStopword(t) || t.length < 3) continue
    const padded = `#${t}#`
    const grams = padded.length - 2
    for (let i = 0; i < grams; i++)
      addFeature(content, `g:${padded.slice(i, i + 3)}`, (0.6 * w) / Math.sqrt(grams))
  }
  // Text without word characters (emoji, punctuation) still gets its own stable direction.
  if (tf.size === 0) addFeature(content, `raw:${text}`, 1)
  normalise(content)
  const out = new Float64Array(DENSE_DIM)
  for (let k = 0; k < DENSE_DIM; k++) out[k] = CONTENT_WEIGHT * content[k]! + SHARED_WEIGHT * SHARED[k]!
  return Array.from(normalise(out), (x) => Math.round(x * 1e7) / 1e7)
}

export interface SparseVector {
  indices: number[]
  values: number[]
}

export const tokenId = (token: string) => 4 + (hash32(token, 99) % (VOCAB_SIZE - 4))

export function sparseEmbedding(text: string): SparseVector {
  const tf = new Map<string, number>()
  for (const t of tokenize(text)) tf.set(t, (tf.get(t) ?? 0) + 1)
  const weights = new Map<number, number>()
  for (const [t, n] of tf) {
    const base = isStopword(t) ? 0.03 : 0.1 + 0.25 * Math.min(1, (t.length - 1) / 9)
    const w = Math.min(0.5, base * (1 + 0.3 * Math.log(n)))
    const id = tokenId(t)
    weights.set(id, Math.max(weights.get(id) ?? 0, w))
  }
  const indices = [...weights.keys()].sort((a, b) => a - b)
  return { indices, values: indices.map((i) => Math.round(weights.get(i)! * 1e4) / 1e4) }
}

const stem = (t: string) => (t.length > 5 ? t.slice(0, 5) : t)
const informativeness = (t: string) => 0.5 + Math.min(1, t.length / 8)

/** A raw relevance logit for (query, document). */
export function rerankLogit(query: string, document: string): number {
  const qAll = tokenize(query)
  const content = qAll.filter((t) => !isStopword(t))
  const q = [...new Set(content.length > 0 ? content : qAll)]
  const dTokens = tokenize(document)
  const d = new Set(dTokens)
  const dStems = new Set(dTokens.map(stem))
  let matched = 0
  let total = 0
  for (const t of q) {
    const w = informativeness(t)
    total += w
    if (d.has(t)) matched += w
    else if (dStems.has(stem(t))) matched += 0.5 * w
  }
  const coverage = total > 0 ? matched / total : 0
  const dText = ` ${dTokens.join(' ')} `
  const bigrams = qAll.slice(1).map((t, i) => `${qAll[i]} ${t}`)
  const phrase =
    bigrams.length > 0 ? bigrams.filter((b) => dText.includes(` ${b} `)).length / bigrams.length : 0
  // Long documents dilute relevance a little, as cross-encoders' scores do.
  const length = Math.log1p(dTokens.length / 200)
  return Math.round((-8 + 13 * coverage + 3 * phrase - 0.5 * length) * 1e4) / 1e4
}
