import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import { SearchSourceError } from '../../../ui/search/source.ts'
import { createSearchSource } from './search-source.ts'

const fakes: FakeUpstream[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function sourceOf(app: Hono, timeoutMs = 2000) {
  const fake = await startFake(app)
  fakes.push(fake)
  return createSearchSource({ baseUrl: fake.url, timeoutMs, ingestTimeoutMs: timeoutMs })
}

const info = (name: string, points: number | null, tenant: string | null = null) => ({
  name,
  dense: { size: 1024, distance: 'Cosine' },
  sparse: { idf: false },
  indexes: [],
  tenant_field: tenant,
  points,
})

const JOB = {
  id: 'ing_1',
  collection: 'notes',
  state: 'running',
  documents_done: 0,
  documents_total: 1,
  chunks_done: 40,
  chunks_total: 100,
  created_at: '2030-01-01T00:00:00.000Z',
  finished_at: null,
}

describe('the dashboard’s search source', () => {
  it('lists, makes and deletes collections (a missing one is false, not an error)', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.get('/api/search/collections', (c) =>
      c.json({ store: 'embedded', collections: [info('notes', 42), info('crm', null, 'org')] }),
    )
    app.post('/api/search/collections', async (c) => {
      const body = await c.req.json()
      seen.push(body)
      return c.json(info(body.name, 0, body.tenant_field ?? null), 201)
    })
    app.delete('/api/search/collections/notes', (c) => {
      seen.push({ confirm: c.req.query('confirm'), actor: c.req.header('x-spark-actor') })
      return c.json({ name: 'notes', deleted: true })
    })
    app.delete('/api/search/collections/gone', (c) =>
      c.json({ type: 'urn:spark-control:error:collection_not_found', title: 'Not Found', status: 404 }, 404),
    )
    const source = await sourceOf(app)
    expect(await source.collections()).toEqual([
      { name: 'notes', points: 42, tenantField: null, denseSize: 1024, distance: 'Cosine' },
      // A per-tenant collection's count without X-Tenant: not counted across tenants.
      { name: 'crm', points: null, tenantField: 'org', denseSize: 1024, distance: 'Cosine' },
    ])
    expect((await source.createCollection({ name: 'faq', tenantField: 'org' }, 'dashboard')).name).toBe('faq')
    expect(await source.deleteCollection('notes', 'dashboard:ops')).toBe(true)
    expect(await source.deleteCollection('gone', 'dashboard')).toBe(false)
    expect(seen).toEqual([
      { name: 'faq', tenant_field: 'org' },
      { confirm: 'notes', actor: 'dashboard:ops' },
    ])
  })

  it('ingests one document with its tenant header, and maps a written answer and a job', async () => {
    const seen: Array<{ tenant?: string; body: unknown; async?: string }> = []
    const app = new Hono()
    app.post('/api/search/collections/:name/documents', async (c) => {
      const body = await c.req.json()
      seen.push({ tenant: c.req.header('x-tenant'), body, async: c.req.query('async') })
      if (body.documents[0].id === 'big') return c.json(JOB, 202)
      return c.json({
        collection: 'notes',
        documents: [{ id: 'doc-1', status: 'unchanged', chunks: 3, embedded: 0 }],
        chunks: 3,
        embedded: 0,
        timings: { chunk_ms: 0.2, plan_ms: 0.5, embed_ms: 0, write_ms: 0, total_ms: 1.5 },
      })
    })
    app.get('/api/search/jobs/ing_1', (c) =>
      c.json({
        ...JOB,
        state: 'done',
        chunks_done: 100,
        finished_at: '2030-01-01T00:00:02.500Z',
        documents: [{ id: 'big', status: 'created', chunks: 100, embedded: 100 }],
      }),
    )
    const source = await sourceOf(app)
    const one = { collection: 'notes', docId: 'doc-1', text: 'Hello', metadata: { a: 1 }, tenant: 'acme' }
    expect(await source.ingest(one, 'dashboard')).toEqual({
      kind: 'done',
      status: 'unchanged',
      chunks: 3,
      embedded: 0,
      tookMs: 1.5,
    })
    expect(seen[0]).toEqual({
      tenant: 'acme',
      body: { documents: [{ id: 'doc-1', text: 'Hello', metadata: { a: 1 } }] },
      async: undefined,
    })
    expect(
      await source.ingest({ collection: 'notes', docId: 'big', text: 'x', background: true }, 'dashboard'),
    ).toEqual({
      kind: 'queued',
      jobId: 'ing_1',
      chunks: 100,
    })
    expect(seen[1]).toMatchObject({ tenant: undefined, async: 'true' })
    const job = await source.job('ing_1')
    expect(job).toMatchObject({ state: 'done', done: 100, total: 100, docId: 'big' })
    expect(job.result).toEqual({ kind: 'done', status: 'created', chunks: 100, embedded: 100, tookMs: 2500 })
  })

  it('asks a hybrid query with a rerank, and reads the text, document, scores and timings of each hit', async () => {
    const seen: unknown[] = []
    const app = new Hono()
    app.post('/api/search/collections/notes/query', async (c) => {
      seen.push(await c.req.json())
      return c.json({
        results: [
          {
            id: 'p1',
            score: 4.5,
            fused_score: 0.032,
            rerank_score: 4.5,
            payload: { doc_id: 'doc-1', chunk_index: 2, text: 'Refunds within 30 days' },
          },
        ],
        timings_ms: { embed: 3, search: 1, rerank: 8, total: 12.5 },
        mode: 'hybrid',
        fusion: 'rrf(k=60)',
      })
    })
    const source = await sourceOf(app)
    const answer = await source.query({
      collection: 'notes',
      query: 'refund',
      mode: 'hybrid',
      rerank: true,
      limit: 10,
    })
    expect(seen).toEqual([{ query: 'refund', mode: 'hybrid', limit: 10, rerank: {} }])
    expect(answer).toEqual({
      mode: 'hybrid',
      fusion: 'rrf(k=60)',
      reranked: true,
      hits: [
        {
          id: 'p1',
          docId: 'doc-1',
          chunk: 2,
          text: 'Refunds within 30 days',
          score: 0.032,
          rerankScore: 4.5,
        },
      ],
      timings: [
        ['embed', 3],
        ['search', 1],
        ['rerank', 8],
        ['total', 12.5],
      ],
    })
  })

  it('passes a refusal on in its own words with its code and Retry-After', async () => {
    const app = new Hono()
    app.post('/api/search/collections/notes/query', (c) =>
      c.json(
        {
          type: 'urn:spark-control:error:embeddings_unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The embeddings server is down.',
        },
        503,
        { 'Retry-After': '7' },
      ),
    )
    const source = await sourceOf(app)
    const err = await source
      .query({ collection: 'notes', query: 'x', mode: 'dense', rerank: false, limit: 10 })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SearchSourceError)
    expect(err).toMatchObject({
      status: 503,
      code: 'embeddings_unavailable',
      retryAfterS: 7,
      message: 'The embeddings server is down.',
    })
  })

  it('turns an answer off the contract into a 502 naming the fields, and an unreachable service into a 503', async () => {
    const app = new Hono()
    app.get('/api/search/collections', (c) => c.json({ store: 'embedded', collections: [{ name: 'x' }] }))
    const source = await sourceOf(app)
    await expect(source.collections()).rejects.toMatchObject({ status: 502 })
    // A port that was just listening and is closed now: nothing answers there.
    const closed = await startFake(new Hono())
    await closed.close()
    const nowhere = createSearchSource({ baseUrl: closed.url, timeoutMs: 2000 })
    await expect(nowhere.collections()).rejects.toMatchObject({ status: 503 })
  })
})
