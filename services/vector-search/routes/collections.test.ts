import { randomUUID } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../shared/logger.ts'
import { openEmbeddedStore } from '../adapters/embedded-store.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'
import { denseOf, sparseOf, TEST_DIM, wordsEmbedder } from '../domain/query/testing.ts'
import type { VectorStore } from '../domain/store/ports.ts'

const stores: VectorStore[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()))
})

async function searchApp() {
  const store = await openEmbeddedStore({ path: ':memory:' })
  stores.push(store)
  const sink = new PassThrough()
  const lines: Record<string, unknown>[] = []
  sink.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line))
  })
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded' })
  const app = buildApp({
    config,
    logger: createLogger({ service: 'vector-search', level: 'info', destination: sink }),
    upstreams: createVectorUpstreams(config),
    store,
    embedder: wordsEmbedder(),
  })
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return { app, store, call, audits: () => lines.filter((l) => l.audit).map((l) => l.audit) }
}

const point = (text: string, payload: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  dense: denseOf(text),
  sparse: sparseOf(text),
  payload: { text, ...payload },
})

describe('POST /api/search/collections', () => {
  it('creates a collection with bge-m3 defaults (1024 cosine, sparse idf off) and refuses a second', async () => {
    const { call } = await searchApp()
    const res = await call('POST', '/api/search/collections', { name: 'notes' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({
      name: 'notes',
      dense: { size: 1024, distance: 'Cosine' },
      sparse: { idf: false },
      indexes: [],
      tenant_field: null,
      points: 0,
    })
    const again = await call('POST', '/api/search/collections', { name: 'notes' })
    expect(again.status).toBe(409)
    expect(again.headers.get('content-type')).toContain('application/problem+json')
  })

  it('keeps the size, distance, idf, indexes and tenant field it was given', async () => {
    const { call } = await searchApp()
    const body = {
      name: 'crm_notes-2',
      dense: { size: TEST_DIM, distance: 'Dot' },
      sparse: { idf: true },
      indexes: [{ field: 'source', type: 'keyword' }],
      tenant_field: 'org',
    }
    expect((await call('POST', '/api/search/collections', body)).status).toBe(201)
    const got = await call('GET', '/api/search/collections/crm_notes-2', undefined, { 'x-tenant': 'acme' })
    expect(await got.json()).toMatchObject({ ...body, tenant_field: 'org', points: 0 })
  })

  it.each([
    [{ name: 'bad name' }, 'bad_collection_name'],
    [{ name: 'x'.repeat(65) }, 'bad_collection_name'],
    [{ name: '../etc' }, 'bad_collection_name'],
    [{ name: 'ok', indexes: [{ field: 'a b', type: 'keyword' }] }, 'bad_field'],
    [{ name: 'ok', tenant_field: '$where' }, 'bad_field'],
  ])('answers 400 for %j', async (body, code) => {
    const { call } = await searchApp()
    const res = await call('POST', '/api/search/collections', body)
    expect(res.status).toBe(400)
    expect((await res.json()).type).toBe(`urn:spark-control:error:${code}`)
  })

  it('answers 422 naming the field for a malformed body', async () => {
    const { call } = await searchApp()
    const res = await call('POST', '/api/search/collections', { name: 'n', dense: { size: -1 } })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('dense.size')
  })
})

describe('GET /api/search/collections', () => {
  it("lists counts; a per-tenant collection's are the X-Tenant's, null without one", async () => {
    const { call, store } = await searchApp()
    await call('POST', '/api/search/collections', { name: 'shared', dense: { size: TEST_DIM } })
    await call('POST', '/api/search/collections', {
      name: 'tenanted',
      dense: { size: TEST_DIM },
      tenant_field: 'org',
    })
    await store.upsert({ collection: 'shared' }, [point('one'), point('two')])
    await store.upsert({ collection: 'tenanted', tenant: 'a' }, [point('a1'), point('a2'), point('a3')])
    await store.upsert({ collection: 'tenanted', tenant: 'b' }, [point('b1')])
    const counts = async (headers?: Record<string, string>) => {
      const body = await (await call('GET', '/api/search/collections', undefined, headers)).json()
      expect(body.store).toBe('embedded')
      return Object.fromEntries(
        body.collections.map((c: { name: string; points: number }) => [c.name, c.points]),
      )
    }
    expect(await counts()).toEqual({ shared: 2, tenanted: null })
    expect(await counts({ 'x-tenant': 'a' })).toEqual({ shared: 2, tenanted: 3 })
    expect(await counts({ 'x-tenant': 'b' })).toEqual({ shared: 2, tenanted: 1 })
  })

  it('answers 404 for an unknown collection, 400 for a bad name or a per-tenant one without X-Tenant', async () => {
    const { call } = await searchApp()
    await call('POST', '/api/search/collections', { name: 'tenanted', tenant_field: 'org' })
    expect((await call('GET', '/api/search/collections/nope')).status).toBe(404)
    expect((await call('GET', '/api/search/collections/b%20d')).status).toBe(400)
    const noTenant = await call('GET', '/api/search/collections/tenanted')
    expect(noTenant.status).toBe(400)
    expect((await noTenant.json()).type).toContain('tenant_required')
    const badTenant = await call('GET', '/api/search/collections', undefined, { 'x-tenant': 'a b' })
    expect(badTenant.status).toBe(400)
  })
})

describe('DELETE /api/search/collections/{name}', () => {
  it('deletes only when confirmed with the name, and audits who did it', async () => {
    const { call, store, audits } = await searchApp()
    await call('POST', '/api/search/collections', { name: 'notes', dense: { size: TEST_DIM } })
    await store.upsert({ collection: 'notes' }, [point('kept until confirmed')])
    for (const query of ['', '?confirm=other']) {
      const refused = await call('DELETE', `/api/search/collections/notes${query}`)
      expect(refused.status).toBe(400)
      expect((await refused.json()).type).toContain('confirm_required')
    }
    expect((await store.getCollection('notes'))?.points).toBe(1)
    const res = await call('DELETE', '/api/search/collections/notes?confirm=notes', undefined, {
      'x-spark-actor': 'ops-key',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ name: 'notes', deleted: true })
    expect(await store.getCollection('notes')).toBeNull()
    expect((await call('DELETE', '/api/search/collections/notes?confirm=notes')).status).toBe(404)
    expect(audits()).toEqual([
      expect.objectContaining({ action: 'collection.create', target: 'notes', actor: 'api', outcome: 'ok' }),
      expect.objectContaining({
        action: 'collection.delete',
        target: 'notes',
        actor: 'ops-key',
        outcome: 'ok',
        detail: 'held 1 points',
      }),
      expect.objectContaining({ action: 'collection.delete', outcome: 'refused' }),
    ])
  })

  it('refuses a delete sent with X-Tenant: it would drop every tenant', async () => {
    const { call } = await searchApp()
    await call('POST', '/api/search/collections', { name: 'tenanted', tenant_field: 'org' })
    const res = await call('DELETE', '/api/search/collections/tenanted?confirm=tenanted', undefined, {
      'x-tenant': 'a',
    })
    expect(res.status).toBe(400)
    expect(
      (await call('GET', '/api/search/collections/tenanted', undefined, { 'x-tenant': 'a' })).status,
    ).toBe(200)
  })
})

describe('readiness with the embedded store', () => {
  it('makes search depend on the embedded store, and the earlier /api/search on Qdrant', async () => {
    const { app, store } = await searchApp()
    const report = await (await app.request('/ready')).json()
    expect(report.dependencies.embedded_store).toMatchObject({ state: 'up', critical: true })
    expect(report.capabilities.search.needs).toEqual(['embeddings', 'embedded_store'])
    expect(report.capabilities.search_earlier).toMatchObject({ needs: ['embeddings', 'qdrant'] })
    expect(report.capabilities.search_earlier.detail).toContain('qdrant is not configured')
    await store.close()
    // /ready keeps a report for half a second; the next one sees the store gone.
    const ready = async () => (await app.request('/ready')).json()
    await expect.poll(async () => (await ready()).dependencies.embedded_store.state).toBe('down')
    expect((await ready()).status).toBe('not_ready')
  })
})
