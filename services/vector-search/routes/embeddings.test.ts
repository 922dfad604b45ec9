import { Buffer } from 'node:buffer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { refusedUrl } from '../../../shared/testing/fake-upstream.ts'
import { startBgeM3 } from '../../../tools/spark-sim/embeddings/bge-m3.ts'
import {
  denseEmbedding,
  rerankLogit,
  sparseEmbedding,
} from '../../../tools/spark-sim/embeddings/text-features.ts'
import type { EmulatorHandle } from '../../../tools/spark-sim/speech/emulator-server.ts'
import { createEmbedModels } from '../adapters/embedder-from-config.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'

let sim: EmulatorHandle
beforeAll(async () => {
  sim = await startBgeM3({ host: '127.0.0.1', port: 0 })
})
afterAll(() => sim.close())

function appFor(env: Record<string, string>) {
  const config = loadVectorConfig(env)
  return buildApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    ...createEmbedModels(config),
  })
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = any

async function post(env: Record<string, string>, path: string, body: unknown) {
  const res = await appFor(env).request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json }
}

const sim_ = () => ({ EMBED_URL: sim.url })
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))

describe('POST /v1/embeddings', () => {
  it('answers the earlier OpenAI shape: 1024-d unit vectors in input order, usage zeros', async () => {
    const { status, body } = await post(sim_(), '/v1/embeddings', {
      input: ['first text', 'second text'],
      model: 'BAAI/bge-m3',
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({
      object: 'list',
      model: 'BAAI/bge-m3',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    })
    expect(body.data.map((d: Json) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ])
    expect(body.data[1].embedding).toHaveLength(1024)
    expect(norm(body.data[1].embedding)).toBeCloseTo(1, 6)
    expect(body.data[1].embedding[0]).toBeCloseTo(denseEmbedding('second text')[0]!, 6)
  })

  it('encodes base64 as little-endian float32 bytes, and takes a single string and the short model name', async () => {
    const float = await post(sim_(), '/v1/embeddings', { input: 'one text' })
    const b64 = await post(sim_(), '/v1/embeddings', {
      input: 'one text',
      model: 'bge-m3',
      encoding_format: 'base64',
    })
    expect(b64.status).toBe(200)
    const bytes = Buffer.from(b64.body.data[0].embedding as string, 'base64')
    expect(bytes.length).toBe(4096)
    const decoded = Array.from({ length: 1024 }, (_, i) => bytes.readFloatLE(i * 4))
    expect(decoded).toEqual(float.body.data[0].embedding.map((x: number) => Math.fround(x)))
  })

  it.each([
    ['token arrays', { input: [[1, 2, 3]] }, 400],
    ['an empty list', { input: [] }, 400],
    ['an empty string', { input: '' }, 400],
    ['dimensions other than 1024', { input: 'x', dimensions: 256 }, 400],
    ['an unknown encoding', { input: 'x', encoding_format: 'int8' }, 422],
    ['a number as input', { input: 5 }, 422],
    ['an unknown model', { input: 'x', model: 'text-embedding-3-small' }, 404],
  ])('refuses %s in the OpenAI envelope', async (_, body, status) => {
    const res = await post(sim_(), '/v1/embeddings', body)
    expect(res.status).toBe(status)
    expect(res.body.error).toMatchObject({ message: expect.any(String), type: expect.any(String) })
  })

  it('answers malformed JSON with 400, not a 500', async () => {
    const res = await post(sim_(), '/v1/embeddings', '{"input": ')
    expect(res.status).toBe(400)
    expect(res.body.error.message).toEqual(expect.any(String))
  })

  it('splits more inputs than the server takes in one call (the simulator refuses over 64)', async () => {
    const input = Array.from({ length: 150 }, (_, i) => `text ${i}`)
    const { status, body } = await post({ ...sim_(), EMBED_BATCH: '100' }, '/v1/embeddings', { input })
    expect(status).toBe(200)
    expect(body.data).toHaveLength(150)
    expect(body.data[149].embedding[5]).toBeCloseTo(denseEmbedding('text 149')[5]!, 6)
  })

  it('answers GET with 405 and Allow: POST, in the OpenAI envelope', async () => {
    const res = await appFor(sim_()).request('/v1/embeddings')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect((await res.json()).error.message).toContain('not allowed')
  })

  it('answers 503 with Retry-After when the embeddings server is down', async () => {
    const res = await post({ EMBED_URL: await refusedUrl() }, '/v1/embeddings', { input: 'x' })
    expect(res.status).toBe(503)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(res.body.error.message).toContain('embeddings server')
  })
})

describe('POST /api/search/embed', () => {
  it('answers dense and sparse per input', async () => {
    const { status, body } = await post(sim_(), '/api/search/embed', { input: ['alpha beta', 'gamma'] })
    expect(status).toBe(200)
    expect(body.model).toBe('BAAI/bge-m3')
    expect(body.data[1].index).toBe(1)
    expect(body.data[1].dense).toHaveLength(1024)
    expect(body.data[1].sparse).toEqual(sparseEmbedding('gamma'))
  })

  it('answers only what was asked for', async () => {
    const { body } = await post(sim_(), '/api/search/embed', { input: 'alpha', dense: false })
    expect(body.data[0].dense).toBeUndefined()
    expect(body.data[0].sparse.indices.length).toBeGreaterThan(0)
  })

  it('refuses nothing asked for, and an empty input, with problem+json 400', async () => {
    for (const body of [{ input: 'x', dense: false, sparse: false }, { input: [] }]) {
      const res = await post(sim_(), '/api/search/embed', body)
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('problem+json')
    }
  })
})

describe('POST /v1/rerank', () => {
  const query = 'reset my password'
  const documents = ['weather report', { text: 'how to reset your password' }, 'password rules']

  it('answers rerank.result with raw logits sorted best first, top_n and documents on request', async () => {
    const { status, body } = await post(sim_(), '/v1/rerank', {
      query,
      documents,
      top_n: 2,
      return_documents: true,
      model: 'BAAI/bge-reranker-v2-m3',
    })
    expect(status).toBe(200)
    expect(body.object).toBe('rerank.result')
    expect(body.model).toBe('BAAI/bge-reranker-v2-m3')
    const texts = documents.map((d) => (typeof d === 'string' ? d : d.text))
    const expected = texts
      .map((t, index) => ({ index, relevance_score: rerankLogit(query, t), document: { text: t } }))
      .sort((a, b) => b.relevance_score - a.relevance_score)
      .slice(0, 2)
    expect(body.results).toEqual(expected)
  })

  it('squashes to 0–1 with normalize, keeping the order', async () => {
    const raw = await post(sim_(), '/v1/rerank', { query, documents })
    const squashed = await post(sim_(), '/v1/rerank', { query, documents, normalize: true })
    expect(squashed.body.results.map((r: Json) => r.index)).toEqual(
      raw.body.results.map((r: Json) => r.index),
    )
    for (const r of squashed.body.results) expect(r.relevance_score).toBeGreaterThan(0)
    for (const r of squashed.body.results) expect(r.relevance_score).toBeLessThan(1)
    expect(squashed.body.results[0].document).toBeUndefined()
  })

  it.each([
    ['no documents', { query, documents: [] }, 422],
    ['no query', { documents }, 422],
    ['an empty document', { query, documents: [''] }, 400],
    ['an unknown model', { query, documents, model: 'rerank-english-v3.0' }, 404],
  ])('refuses %s', async (_, body, status) => {
    const res = await post(sim_(), '/v1/rerank', body)
    expect(res.status).toBe(status)
    expect(res.body.error.message).toEqual(expect.any(String))
  })

  it('refuses more documents than RERANK_MAX_DOCUMENTS', async () => {
    const res = await post({ ...sim_(), RERANK_MAX_DOCUMENTS: '2' }, '/v1/rerank', { query, documents })
    expect(res.status).toBe(400)
  })

  it('answers 503 with Retry-After when the server is down', async () => {
    const res = await post({ EMBED_URL: await refusedUrl() }, '/v1/rerank', { query, documents })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('5')
  })
})
