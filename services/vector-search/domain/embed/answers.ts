/**
 * What the embeddings and rerank routes compute from the embedder's answer: the names a model
 * answers to, OpenAI's base64 encoding, and the rerank ordering.
 */
import { Buffer } from 'node:buffer'

/** A client may name the model in full (`BAAI/bge-m3`) or by its short name (`bge-m3`), any case. */
export function isModelName(asked: string | undefined, model: string): boolean {
  if (asked === undefined) return true
  const a = asked.trim().toLowerCase()
  const full = model.toLowerCase()
  return a === full || a === full.slice(full.lastIndexOf('/') + 1)
}

/** OpenAI's `encoding_format: "base64"`: the vector as little-endian float32 bytes, base64. */
export function base64Floats(vector: readonly number[]): string {
  const bytes = new Uint8Array(vector.length * 4)
  const view = new DataView(bytes.buffer)
  vector.forEach((x, i) => {
    view.setFloat32(i * 4, x, true)
  })
  return Buffer.from(bytes).toString('base64')
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))

export interface Ranked {
  index: number
  relevance_score: number
}

/** Best first (ties keep document order), cut to `topN`; `normalize` squashes logits to 0–1. */
export function rank(scores: readonly number[], topN: number | undefined, normalize: boolean): Ranked[] {
  return scores
    .map((score, index) => ({ index, relevance_score: normalize ? sigmoid(score) : score }))
    .sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index)
    .slice(0, topN ?? scores.length)
}
