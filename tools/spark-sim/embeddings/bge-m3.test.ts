import { Buffer } from 'node:buffer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmulatorHandle } from '../speech/emulator-server.ts'
import { startBgeM3 } from './bge-m3.ts'
import { VOCAB_SIZE } from './text-features.ts'

let server: EmulatorHandle

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0)

async function embed(input: string | string[]) {
  const res = await post('/v1/embeddings', { input, model: 'BAAI/bge-m3' })
  expect(res.status).toBe(200)
  return (await res.json()) as {
    object: string
    model: string
    data: Array<{ object: string; index: number; embedding: number[] }>
    usage: { prompt_tokens: number; total_tokens: number }
  }
}

beforeAll(async () => {
  server = await startBgeM3({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await server?.close()
})

describe('bge-m3 emulator: embeddings', () => {
  it('returns 1024-d unit vectors in the OpenAI shape, with zero usage', async () => {
    const body = await embed(['first text', 'second text'])
    expect(body).toMatchObject({
      object: 'list',
      model: 'BAAI/bge-m3',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    })
    expect(body.data.map((d) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ])
    for (const d of body.data) {
      expect(d.embedding).toHaveLength(1024)
      expect(Math.sqrt(dot(d.embedding, d.embedding))).toBeCloseTo(1, 5)
    }
    expect((await embed('just one string')).data).toHaveLength(1)
  })

  it('is deterministic and ranks texts that share words above unrelated ones', async () => {
    const [a, b] = await Promise.all([
      embed('The quarterly finance report is late'),
      embed('The quarterly finance report is late'),
    ])
    expect(a.data[0]!.embedding).toEqual(b.data[0]!.embedding)
    const { data } = await embed([
      'When is the quarterly finance report due?',
      'The finance report for this quarter is due on Friday',
      'Quarterly reports from finance',
      'My cat enjoys sleeping in the sun',
    ])
    const [q, close, partial, unrelated] = data.map((d) => d.embedding) as [
      number[],
      number[],
      number[],
      number[],
    ]
    expect(dot(q, close)).toBeGreaterThan(dot(q, unrelated))
    expect(dot(q, partial)).toBeGreaterThan(dot(q, unrelated))
    expect(dot(q, unrelated)).toBeGreaterThan(0)
    expect(dot(q, unrelated)).toBeLessThan(0.5)
  })

  it('encodes base64 as little-endian float32 of the same vector', async () => {
    const res = await post('/v1/embeddings', { input: 'base64 please', encoding_format: 'base64' })
    const b64 = ((await res.json()) as { data: Array<{ embedding: string }> }).data[0]!.embedding
    const bytes = Buffer.from(b64, 'base64')
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)
    const plain = (await embed('base64 please')).data[0]!.embedding
    expect(floats).toHaveLength(1024)
    expect(floats[7]).toBeCloseTo(plain[7]!, 6)
  })

  it('serves dense and sparse vectors from /embed', async () => {
    const res = await post('/embed', { texts: ['Qdrant stores the finance report', 'finance report'] })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      dense: number[][]
      sparse: Array<{ indices: number[]; values: number[] }>
    }
    expect(body.dense).toHaveLength(2)
    expect(body.dense[0]).toHaveLength(1024)
    const [s0, s1] = body.sparse as [
      { indices: number[]; values: number[] },
      { indices: number[]; values: number[] },
    ]
    expect(s0.indices).toEqual([...s0.indices].sort((a, b) => a - b))
    expect(new Set(s0.indices).size).toBe(s0.indices.length)
    expect(s0.values).toHaveLength(s0.indices.length)
    for (const i of s0.indices) expect(Number.isInteger(i) && i > 3 && i < VOCAB_SIZE).toBe(true)
    for (const v of s0.values) expect(v > 0 && v <= 0.5).toBe(true)
    // Shared words map to shared token ids.
    expect(s1.indices.every((i) => s0.indices.includes(i))).toBe(true)
    const denseOnly = (await (await post('/embed', { input: 'x', return_sparse: false })).json()) as object
    expect(Object.keys(denseOnly)).toEqual(['dense'])
  })

  it('validates input with OpenAI-style errors', async () => {
    const malformed = await post('/v1/embeddings', '{"input": ')
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_json' },
    })
    const missing = await post('/v1/embeddings', { model: 'BAAI/bge-m3' })
    expect(missing.status).toBe(422)
    expect(await missing.json()).toMatchObject({ error: { param: 'input' } })
    expect((await post('/v1/embeddings', { input: '' })).status).toBe(400)
    expect((await post('/v1/embeddings', { input: [1, 2, 3] })).status).toBe(422)
    expect((await post('/v1/embeddings', { input: 'x', dimensions: 256 })).status).toBe(400)
    const tooMany = await post('/v1/embeddings', { input: Array.from({ length: 65 }, (_, i) => `text ${i}`) })
    expect(tooMany.status).toBe(413)
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toMatch(
      /65 > maximum allowed batch size 64/,
    )
    expect((await post('/embed', { return_dense: true })).status).toBe(422)
  })
})

describe('bge-m3 emulator: rerank', () => {
  const documents = [
    'The cat sat on the mat all afternoon',
    'Send the quarterly finance report to the board by Friday',
    'Finance team meeting notes',
    'quarterly finance report',
  ]

  it('sorts documents by a raw relevance logit', async () => {
    const res = await post('/v1/rerank', { query: 'quarterly finance report', documents })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      object: string
      model: string
      results: Array<{ index: number; relevance_score: number; document?: unknown }>
    }
    expect(body.object).toBe('rerank.result')
    expect(body.model).toBe('BAAI/bge-reranker-v2-m3')
    expect(body.results.map((r) => r.index)).toEqual([3, 1, 2, 0])
    const scores = body.results.map((r) => r.relevance_score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    // Raw logits: the best match well above 1, the unrelated one well below 0.
    expect(scores[0]).toBeGreaterThan(4)
    expect(scores[3]).toBeLessThan(-4)
    expect(body.results[0]!.document).toBeUndefined()
  })

  it('honours top_n, return_documents and object documents', async () => {
    const res = await post('/v1/rerank', {
      query: 'finance meeting',
      documents: documents.map((text) => ({ text })),
      top_n: 2,
      return_documents: true,
    })
    const body = (await res.json()) as { results: Array<{ index: number; document: { text: string } }> }
    expect(body.results).toHaveLength(2)
    expect(body.results[0]).toMatchObject({ index: 2, document: { text: documents[2] } })
    expect((await post('/v1/rerank', { query: '', documents })).status).toBe(422)
    expect((await post('/rerank', { query: 'finance', documents })).status).toBe(200)
  })
})
