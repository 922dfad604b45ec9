import { describe, expect, it } from 'vitest'
import { type EarlierQdrant, earlierSearch } from './earlier.ts'
import { wordsEmbedder } from './testing.ts'

function capturing() {
  const sent: { collection: string; body: Record<string, unknown> }[] = []
  const qdrant: EarlierQdrant = {
    async query(collection, body) {
      sent.push({ collection, body })
      return [{ id: 1, score: 0.5 }]
    },
  }
  return { sent, qdrant }
}

const base = { limit: 5, with_payload: true, using: { dense: 'text-dense', sparse: 'bm25' } }

describe('earlierSearch', () => {
  it('sends both vectors as prefetch legs, the filter inside each, fused by RRF', async () => {
    const { sent, qdrant } = capturing()
    const filter = { must: [{ key: 'owner', match: { value: 'jo' } }] }
    const sparse = { indices: [9, 3], values: [0.5, 1] }
    const answer = await earlierSearch(
      { qdrant, embedder: wordsEmbedder(4) },
      { ...base, collection: 'crm', query: 'pension', sparse, filter },
    )
    expect(answer).toEqual({ collection: 'crm', mode: 'hybrid', results: [{ id: 1, score: 0.5 }] })
    const body = sent[0]?.body as { prefetch: Record<string, unknown>[] } & Record<string, unknown>
    expect(body.query).toEqual({ fusion: 'rrf' })
    expect(body.prefetch).toEqual([
      { query: expect.any(Array), using: 'text-dense', limit: 20, filter },
      { query: { indices: [3, 9], values: [1, 0.5] }, using: 'bm25', limit: 20, filter },
    ])
    expect(body).toMatchObject({ limit: 5, with_payload: true, with_vector: false })
  })

  it('searches the dense vector alone without a sparse one, and the sparse alone without text', async () => {
    const { sent, qdrant } = capturing()
    const embedder = wordsEmbedder(4)
    const dense = await earlierSearch({ qdrant, embedder }, { ...base, collection: 'crm', query: 'pension' })
    expect(dense.mode).toBe('dense')
    expect(sent[0]?.body).toMatchObject({ using: 'text-dense', limit: 5 })
    const sparse = { indices: [1], values: [1] }
    const alone = await earlierSearch({ qdrant, embedder }, { ...base, collection: 'crm', sparse })
    expect(alone.mode).toBe('sparse')
    expect(sent[1]?.body).toMatchObject({ query: sparse, using: 'bm25' })
    expect(embedder.calls).toBe(1)
  })

  it('refuses a bad name, a request with nothing to search, and runs no search without Qdrant', async () => {
    const { sent, qdrant } = capturing()
    await expect(earlierSearch({ qdrant }, { ...base, collection: 'a/b', query: 'x' })).rejects.toMatchObject(
      {
        status: 400,
      },
    )
    await expect(earlierSearch({ qdrant }, { ...base, collection: 'crm' })).rejects.toMatchObject({
      status: 400,
    })
    await expect(earlierSearch({}, { ...base, collection: 'crm', query: 'x' })).rejects.toMatchObject({
      status: 503,
      code: 'qdrant_not_configured',
      retryAfterS: 300,
    })
    expect(sent).toEqual([])
  })
})
