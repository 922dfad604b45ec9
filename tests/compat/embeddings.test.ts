/**
 * The earlier embeddings contract through the gateway: `/v1/embeddings` (1024-d L2-normalised
 * bge-m3 vectors in OpenAI's shape, `usage` zeros) and `/v1/rerank` (`object: "rerank.result"`, raw
 * logits sorted best first), replayed as the CRM and the signal engine send them; the official
 * `openai` npm client's `embeddings.create` (float, and base64 — which the client asks for by
 * default); and the embeddings server down → 503 + Retry-After in the OpenAI envelope.
 */
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('embeddings')

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, error bodies included
type Json = Record<string, any>

async function post(path: string, body: unknown) {
  const res = await fetch(target.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json }
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0)
const client = () => new OpenAI({ baseURL: target.url('/v1'), apiKey: 'not-checked', maxRetries: 0 })

describe('POST /v1/embeddings (earlier contract)', () => {
  it('answers the documented request: OpenAI shape, 1024-d unit vectors, usage reported as 0', async () => {
    const { status, body } = await post('/v1/embeddings', {
      input: ['Quarterly pension review with the client', 'Mortgage offer letter sent'],
      model: 'BAAI/bge-m3',
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({
      object: 'list',
      model: 'BAAI/bge-m3',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    })
    expect(body.data).toHaveLength(2)
    body.data.forEach((d: Json, i: number) => {
      expect(d).toMatchObject({ object: 'embedding', index: i })
      expect(d.embedding).toHaveLength(1024)
      expect(norm(d.embedding)).toBeCloseTo(1, 5)
    })
  })

  it('works through the official openai client, float and base64 alike', async () => {
    const input = ['pension transfer questions', 'annual review booked']
    const float = await client().embeddings.create({ model: 'BAAI/bge-m3', input, encoding_format: 'float' })
    expect(float.data.map((d) => d.embedding.length)).toEqual([1024, 1024])
    expect(float.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 })
    // Without encoding_format the client asks for base64 and decodes it into floats itself.
    const decoded = await client().embeddings.create({ model: 'BAAI/bge-m3', input })
    decoded.data.forEach((d, i) => {
      expect(d.embedding).toHaveLength(1024)
      expect(dot(d.embedding, float.data[i]!.embedding)).toBeCloseTo(1, 5)
    })
    const raw = await client().embeddings.create({ model: 'BAAI/bge-m3', input, encoding_format: 'base64' })
    const bytes = Buffer.from(raw.data[1]!.embedding as unknown as string, 'base64')
    expect(bytes.length).toBe(4096)
    expect(bytes.readFloatLE(0)).toBeCloseTo(float.data[1]!.embedding[0]!, 6)
  })

  it('refuses an unknown model with the OpenAI SDK’s NotFoundError', async () => {
    const err = await client()
      .embeddings.create({ model: 'text-embedding-3-small', input: 'x' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.NotFoundError)
  })
})

describe('POST /v1/rerank (earlier contract)', () => {
  it('answers rerank.result with raw logit scores sorted best first', async () => {
    const documents = [
      'The office is closed on public holidays.',
      'To move a pension, the client signs the transfer form and we send it to the provider.',
      'Pension transfers take four to six weeks.',
    ]
    const { status, body } = await post('/v1/rerank', {
      query: 'how long does a pension transfer take',
      documents,
      top_n: 3,
      return_documents: false,
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ object: 'rerank.result', model: 'BAAI/bge-reranker-v2-m3' })
    const scores = body.results.map((r: Json) => r.relevance_score)
    expect([...scores].sort((a: number, b: number) => b - a)).toEqual(scores)
    expect(body.results.map((r: Json) => r.index).sort()).toEqual([0, 1, 2])
    // Raw logits, as before: not squashed into 0–1.
    expect(scores.some((s: number) => s < 0 || s > 1)).toBe(true)
    expect(body.results[0]).not.toHaveProperty('document')
  })
})

describe('POST /api/search/embed', () => {
  it('answers dense and sparse vectors per input', async () => {
    const { status, body } = await post('/api/search/embed', { input: ['pension transfer'] })
    expect(status).toBe(200)
    expect(body.data[0].dense).toHaveLength(1024)
    expect(body.data[0].sparse.indices.length).toBe(body.data[0].sparse.values.length)
    expect(body.data[0].sparse.indices.length).toBeGreaterThan(0)
  })
})

if (target.demo) {
  describe('the embeddings server down', () => {
    it('answers 503 + Retry-After in the OpenAI envelope on /v1/embeddings and /v1/rerank', async () => {
      const embeddings = target.demo!.demo().sim.embeddings
      await embeddings.setMode('down')
      try {
        for (const [path, body] of [
          ['/v1/embeddings', { input: 'x', model: 'BAAI/bge-m3' }],
          ['/v1/rerank', { query: 'x', documents: ['y'] }],
        ] as const) {
          const res = await post(path, body)
          expect(res.status, path).toBe(503)
          expect(Number(res.headers.get('retry-after')), path).toBeGreaterThan(0)
          expect(res.body.error.message, path).toContain('embeddings server')
        }
      } finally {
        await embeddings.setMode('ok')
      }
    })
  })
}
