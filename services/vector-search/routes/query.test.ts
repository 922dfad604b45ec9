import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { type QdrantDouble, startQdrantDouble } from '../../../tools/qdrant-double/server.ts'
import { openEmbeddedStore } from '../adapters/embedded-store.ts'
import { createQdrantStore } from '../adapters/qdrant-store.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'
import { type Embedder, EmbedderError } from '../domain/embed/ports.ts'
import { denseOf, sparseOf, TEST_DIM, wordsEmbedder, wordsReranker } from '../domain/query/testing.ts'
import type { VectorStore } from '../domain/store/ports.ts'

const stores: VectorStore[] = []
let qdrant: QdrantDouble
beforeAll(async () => {
  qdrant = await startQdrantDouble()
})
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
  qdrant.state.collections.clear()
})
afterAll(async () => {
  await qdrant.close()
})

/** The same routes over both stores: the embedded one, and the Qdrant store against the Qdrant double. */
const BACKENDS = {
  embedded: () => openEmbeddedStore({ path: ':memory:' }),
  qdrant: async () => createQdrantStore({ url: qdrant.url, timeoutMs: 5000 }),
}
type Backend = keyof typeof BACKENDS

const DOCS = [
  { text: 'the quarterly revenue report for the board', source: 'crm', org: 'a' },
  { text: 'minutes of the board meeting about hiring', source: 'notes', org: 'a' },
  { text: 'revenue forecast and the hiring plan', source: 'crm', org: 'b' },
  { text: 'holiday schedule for the office', source: 'notes', org: 'b' },
  {
    text: 'revenue revenue revenue in a long rambling text about many other unrelated things',
    source: 'crm',
    org: 'a',
  },
]

async function queryApp(backend: Backend, options: { embedder?: Embedder; tenant?: boolean } = {}) {
  const store = await BACKENDS[backend]()
  stores.push(store)
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded' })
  const reranker = wordsReranker()
  const app = buildApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    store,
    embedder: options.embedder ?? wordsEmbedder(),
    reranker,
  })
  await store.createCollection({
    name: 'docs',
    dense: { size: TEST_DIM, distance: 'Cosine' },
    sparse: { idf: false },
    indexes: [{ field: 'source', type: 'keyword' }],
    ...(options.tenant ? { tenantField: 'org' } : {}),
  })
  for (const d of DOCS) {
    const point = { id: randomUUID(), dense: denseOf(d.text), sparse: sparseOf(d.text), payload: d }
    await store.upsert({ collection: 'docs', ...(options.tenant ? { tenant: d.org } : {}) }, [point])
  }
  const request = (path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  const query = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await request('/api/search/collections/docs/query', body, headers)
    return { status: res.status, headers: res.headers, body: await res.json() }
  }
  return { query, request, reranker }
}

const texts = (body: { results: { payload?: { text: string } }[] }) =>
  body.results.map((r) => r.payload?.text)

describe.each(Object.keys(BACKENDS) as Backend[])(
  'POST /api/search/collections/{name}/query (%s store)',
  (backend) => {
    it('runs hybrid by default on embedded query text: both legs fused by RRF, scores and timings', async () => {
      const { query } = await queryApp(backend)
      const { status, body } = await query({ query: 'board meeting minutes', limit: 3 })
      expect(status).toBe(200)
      expect(body.mode).toBe('hybrid')
      expect(body.fusion).toBe('rrf(k=60)')
      expect(texts(body)[0]).toBe(DOCS[1]?.text)
      expect(body.results).toHaveLength(3)
      for (const r of body.results) expect(r.fused_score).toBe(r.score)
      const scores = body.results.map((r: { score: number }) => r.score)
      expect([...scores].sort((a, b) => b - a)).toEqual(scores)
      expect(Object.keys(body.timings_ms).sort()).toEqual(['embed', 'rerank', 'search', 'total'])
      expect(body.timings_ms.total).toBeGreaterThanOrEqual(body.timings_ms.search)
    })

    it('answers dense-only and sparse-only searches with the caller’s own vectors, and DBSF', async () => {
      const { query } = await queryApp(backend)
      const dense = await query({ mode: 'dense', dense: denseOf('holiday schedule office'), limit: 1 })
      expect(texts(dense.body)).toEqual([DOCS[3]?.text])
      expect(dense.body.fusion).toBeNull()
      expect(dense.body.results[0].fused_score).toBeUndefined()
      const sparse = await query({ mode: 'sparse', sparse: sparseOf('hiring plan'), limit: 1 })
      expect(texts(sparse.body)).toEqual([DOCS[2]?.text])
      const dbsf = await query({ query: 'hiring', fusion: 'dbsf', limit: 2 })
      expect(dbsf.body.fusion).toBe('dbsf')
      expect(dbsf.body.results).toHaveLength(2)
    })

    it('applies the filter inside each leg, and pages with limit and offset', async () => {
      const { query } = await queryApp(backend)
      const filter = { must: [{ key: 'source', match: { value: 'notes' } }] }
      const { body } = await query({ query: 'revenue board', filter, limit: 10 })
      expect(texts(body).sort()).toEqual([DOCS[1]?.text, DOCS[3]?.text].sort())
      const all = await query({ query: 'revenue', limit: 5 })
      const second = await query({ query: 'revenue', limit: 2, offset: 1 })
      expect(second.body.results.map((r: { id: string }) => r.id)).toEqual(
        all.body.results.slice(1, 3).map((r: { id: string }) => r.id),
      )
    })

    it('reranks the top candidates by their text with raw logits, keeping the fused score', async () => {
      const { query, reranker } = await queryApp(backend)
      const { body } = await query({
        query: 'revenue',
        limit: 2,
        rerank: { candidates: 5 },
        with_payload: false,
      })
      expect(reranker.seen[0]).toHaveLength(5)
      // The long text (13 words) says "revenue" three times: three matches beat one, whatever fusion ranked first.
      expect(body.results[0].rerank_score).toBeCloseTo(3 - 13 / 100)
      expect(body.results[0].score).toBe(body.results[0].rerank_score)
      expect(typeof body.results[0].fused_score).toBe('number')
      expect(body.results[0].payload).toBeUndefined()
      expect(body.results).toHaveLength(2)
      const topN = await query({ query: 'revenue', limit: 5, rerank: { candidates: 5, top_n: 1 } })
      expect(topN.body.results).toHaveLength(1)
    })

    it('keeps tenants apart: every hit is the X-Tenant’s, and the header is required', async () => {
      const { query } = await queryApp(backend, { tenant: true })
      for (const tenant of ['a', 'b']) {
        const { body } = await query(
          { query: 'revenue board hiring holiday', limit: 10 },
          { 'x-tenant': tenant },
        )
        expect(body.results.length).toBeGreaterThan(0)
        expect(body.results.every((r: { payload: { org: string } }) => r.payload.org === tenant)).toBe(true)
      }
      const none = await query({ query: 'revenue' })
      expect(none.status).toBe(400)
      expect(none.body.type).toContain('tenant_required')
      const spoofed = await query(
        { query: 'revenue', filter: { should: [{ key: 'org', match: { value: 'b' } }] } },
        { 'x-tenant': 'a' },
      )
      expect(spoofed.body.results.every((r: { payload: { org: string } }) => r.payload.org === 'a')).toBe(
        true,
      )
    })

    it.each([
      [{ mode: 'dense', dense: [1, 0, 0] }, 'bad_vector'],
      [{ mode: 'sparse', sparse: { indices: [1, 1], values: [1, 2] } }, 'bad_vector'],
      [{ mode: 'sparse', sparse: { indices: [1, 2], values: [1] } }, 'bad_vector'],
      [{ query: 'x', filter: { must: [{ key: 'source', match: { regex: '.*' } }] } }, 'bad_filter'],
      [{ query: 'x', filter: { nested: {} } }, 'bad_filter'],
      [{ mode: 'dense' }, 'bad_request'],
      [{ mode: 'dense', dense: denseOf('x'), rerank: { candidates: 5 } }, 'bad_request'],
    ])('answers 400 for %j', async (request, code) => {
      const { query } = await queryApp(backend)
      const { status, body } = await query(request)
      expect(status).toBe(400)
      expect(body.type).toBe(`urn:spark-control:error:${code}`)
    })

    it('answers 422 for a limit over 100, 404 for an unknown collection', async () => {
      const { query, request } = await queryApp(backend)
      expect((await query({ query: 'x', limit: 101 })).status).toBe(422)
      const missing = await request('/api/search/collections/nope/query', { query: 'x' })
      expect(missing.status).toBe(404)
      expect((await request('/api/search/collections/n%20o/query', { query: 'x' })).status).toBe(400)
    })

    it('answers 503 with Retry-After when the embeddings server is down', async () => {
      const down: Embedder = {
        model: 'down',
        dim: TEST_DIM,
        embed: async () => {
          throw new EmbedderError('unavailable', 'connection refused', 7)
        },
      }
      const { query } = await queryApp(backend, { embedder: down })
      const res = await query({ query: 'revenue' })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('7')
    })
  },
)
