/**
 * Stand-ins the query and collection tests share: a bag-of-words embedder (dense and sparse from the
 * same words, so a text finds itself on both legs) and a reranker that counts query words in a text.
 */
import type { Embedder, Embeddings, Reranker } from '../embed/ports.ts'
import type { SparseVector } from '../store/ports.ts'

export const TEST_DIM = 8

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? []

function tokenId(word: string): number {
  let h = 2166136261
  for (const ch of word) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0
  return h % 100_000
}

export function sparseOf(text: string): SparseVector {
  const counts = new Map<number, number>()
  for (const w of words(text)) counts.set(tokenId(w), (counts.get(tokenId(w)) ?? 0) + 1)
  const indices = [...counts.keys()].sort((a, b) => a - b)
  return { indices, values: indices.map((i) => counts.get(i) as number) }
}

export function denseOf(text: string, dim = TEST_DIM): number[] {
  const v = new Array<number>(dim).fill(0)
  for (const w of words(text)) v[tokenId(w) % dim] = (v[tokenId(w) % dim] as number) + 1
  const norm = Math.hypot(...v) || 1
  return v.map((x) => x / norm)
}

export function wordsEmbedder(dim = TEST_DIM): Embedder & { calls: number } {
  return {
    model: 'test/words',
    dim,
    calls: 0,
    async embed(texts, want): Promise<Embeddings> {
      this.calls++
      return {
        ...(want.dense ? { dense: texts.map((t) => denseOf(t, dim)) } : {}),
        ...(want.sparse ? { sparse: texts.map(sparseOf) } : {}),
      }
    },
  }
}

/** Raw "logits": query words found in the text, minus a little per word of text (shorter wins ties). */
export function wordsReranker(): Reranker & { seen: string[][] } {
  return {
    model: 'test/rerank',
    seen: [],
    async score(query, documents) {
      this.seen.push(documents)
      const asked = new Set(words(query))
      return documents.map((d) => {
        const w = words(d)
        return w.filter((x) => asked.has(x)).length - w.length / 100
      })
    },
  }
}
