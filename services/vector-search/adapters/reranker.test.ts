import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type FakeUpstream, refusedUrl, startFake } from '../../../shared/testing/fake-upstream.ts'
import { startBgeM3 } from '../../../tools/spark-sim/embeddings/bge-m3.ts'
import { rerankLogit } from '../../../tools/spark-sim/embeddings/text-features.ts'
import type { EmulatorHandle } from '../../../tools/spark-sim/speech/emulator-server.ts'
import { EmbedderError } from '../domain/embed/ports.ts'
import { createReranker, type RerankerOptions } from './reranker.ts'

let sim: EmulatorHandle
const fakes: FakeUpstream[] = []
beforeAll(async () => {
  sim = await startBgeM3({ host: '127.0.0.1', port: 0 })
})
afterAll(() => sim.close())
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function fake(app: Hono) {
  const f = await startFake(app)
  fakes.push(f)
  return f.url
}

const options = (baseUrl: string | null, more: Partial<RerankerOptions> = {}): RerankerOptions => ({
  baseUrl,
  api: 'auto',
  model: 'BAAI/bge-reranker-v2-m3',
  batch: 32,
  concurrency: 2,
  timeoutMs: 5000,
  ...more,
})

const query = 'how do I reset my password'
const documents = [
  'The weather in spring is mild.',
  'To reset your password, open settings and choose reset password.',
  'Passwords must be twelve characters long.',
]

describe('reranker', () => {
  it('gives the simulated server’s raw logits in document order (not sorted, not squashed)', async () => {
    const reranker = createReranker(options(sim.url))
    const scores = await reranker.score(query, documents)
    expect(reranker.api()).toBe('cohere')
    expect(scores).toEqual(documents.map((d) => rerankLogit(query, d)))
    expect(scores.some((s) => s < 0 || s > 1)).toBe(true)
  })

  it('batches many documents without changing a score', async () => {
    const many = Array.from({ length: 70 }, (_, i) => `${documents[i % 3]} (${i})`)
    const scores = await createReranker(options(sim.url, { batch: 16 })).score(query, many)
    expect(scores).toEqual(many.map((d) => rerankLogit(query, d)))
  })

  it('asks TEI for raw scores, found when /v1/rerank does not exist', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.post('/rerank', async (c) => {
      const body = (await c.req.json()) as { texts: string[] }
      seen.push(body)
      return c.json(body.texts.map((t, index) => ({ index, score: t.length - 40 })).reverse())
    })
    const reranker = createReranker(options(await fake(app)))
    expect(await reranker.score(query, documents)).toEqual(documents.map((d) => d.length - 40))
    expect(reranker.api()).toBe('tei')
    expect(seen[0]).toEqual({ query, texts: documents, raw_scores: true })
  })

  it('asks vLLM not to apply its sigmoid', async () => {
    const seen: Record<string, unknown>[] = []
    const app = new Hono()
    app.get('/v1/models', (c) => c.json({ data: [{ id: 'BAAI/bge-reranker-v2-m3', owned_by: 'vllm' }] }))
    app.post('/v1/rerank', async (c) => {
      const body = (await c.req.json()) as { documents: string[] }
      seen.push(body)
      return c.json({ results: body.documents.map((_, index) => ({ index, relevance_score: 1.5 - index })) })
    })
    const reranker = createReranker(options(await fake(app)))
    expect(await reranker.score(query, documents)).toEqual([1.5, 0.5, -0.5])
    expect(seen[0]).toMatchObject({ use_activation: false, query })
  })

  it('refuses results that skip or repeat a document as malformed', async () => {
    const app = new Hono()
    app.post('/v1/rerank', (c) =>
      c.json({
        results: [
          { index: 0, relevance_score: 1 },
          { index: 0, relevance_score: 2 },
          { index: 1, relevance_score: 3 },
        ],
      }),
    )
    const err = await createReranker(options(await fake(app), { api: 'cohere' }))
      .score(query, documents)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EmbedderError)
    expect((err as EmbedderError).code).toBe('malformed')
  })

  it('reports a server that is not there as unavailable', async () => {
    const err = await createReranker(options(await refusedUrl()))
      .score(query, documents)
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'unavailable', retryAfterS: 5 })
  })
})
