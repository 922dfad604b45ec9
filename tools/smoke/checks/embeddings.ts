/**
 * embeddings: `/v1/embeddings` answers one vector per input, all of the same width, every number
 * finite and not all zero. The width is kept for the search check's collection.
 */
import { type Check, fail } from '../check.ts'

const INPUTS = ['Spark Control smoke test', 'The embeddings server is answering.']

interface EmbeddingList {
  data?: { index?: number; embedding?: unknown }[]
}

export const embeddingsCheck: Check = {
  name: 'embeddings',
  needs: ['embeddings'],
  async run(ctx) {
    const model = ctx.endpoints?.embeddings?.model ?? 'BAAI/bge-m3'
    const answer = await ctx.client.request('/v1/embeddings', { json: { model, input: INPUTS } })
    const dimension = embeddingVerdict(answer.json<EmbeddingList>(), INPUTS.length)
    ctx.facts.embeddingDimension = dimension
    return `${model}: ${INPUTS.length} vectors of ${dimension} dimensions`
  },
}

/** The vectors' width; fails on a missing, ragged, empty or non-numeric vector. */
export function embeddingVerdict(body: EmbeddingList, expected: number): number {
  const data = Array.isArray(body.data) ? body.data : []
  if (data.length !== expected) fail(`asked for ${expected} vectors, got ${data.length}`)
  const widths = new Set<number>()
  for (const [i, item] of data.entries()) {
    const v = item.embedding
    if (!Array.isArray(v) || v.length === 0) return fail(`vector ${i} is empty or not a list of numbers`)
    if (!v.every((x) => typeof x === 'number' && Number.isFinite(x)))
      fail(`vector ${i} holds something that is not a finite number`)
    if (v.every((x) => x === 0)) fail(`vector ${i} is all zeros`)
    widths.add(v.length)
  }
  if (widths.size > 1) fail(`the vectors have different widths: ${[...widths].join(', ')}`)
  return [...widths][0]!
}
