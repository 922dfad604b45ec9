/** The search page: collections with counts, make and delete (asked first), ingest, query; with and without htmx. */
import { describe, expect, it } from 'vitest'
import type { ClusterStatus } from '../../shared/contracts/gateway.ts'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus } from '../fixtures/sample-status.ts'
import {
  type IngestJob,
  type IngestTry,
  type QueryTry,
  type SearchCollection,
  type SearchSource,
  SearchSourceError,
} from './source.ts'

const NOTES: SearchCollection = {
  name: 'notes',
  points: 42,
  tenantField: null,
  denseSize: 1024,
  distance: 'Cosine',
}
const CRM: SearchCollection = {
  name: 'crm',
  points: 7,
  tenantField: 'tenant',
  denseSize: 1024,
  distance: 'Cosine',
}

function fakeSearch(over: Partial<SearchSource> = {}) {
  const calls: Array<{ what: string; input?: unknown; actor?: string }> = []
  const source: SearchSource = {
    async collections(tenant) {
      calls.push({ what: 'collections', input: tenant })
      return [NOTES, tenant ? { ...CRM, points: 3 } : { ...CRM, points: null }]
    },
    async createCollection(spec, actor) {
      calls.push({ what: 'create', input: spec, actor })
      return { ...NOTES, name: spec.name, points: 0, tenantField: spec.tenantField ?? null }
    },
    async deleteCollection(name, actor) {
      calls.push({ what: 'delete', input: name, actor })
      return name === 'notes'
    },
    async ingest(input: IngestTry) {
      calls.push({ what: 'ingest', input })
      return { kind: 'done', status: 'created', chunks: 3, tookMs: 12.5, embedded: 3 }
    },
    async job(id) {
      calls.push({ what: 'job', input: id })
      return {
        id,
        state: 'running',
        collection: 'notes',
        docId: 'big',
        done: 40,
        total: 100,
        result: null,
        error: null,
      }
    },
    async query(input: QueryTry) {
      calls.push({ what: 'query', input })
      return {
        mode: input.mode,
        fusion: input.mode === 'hybrid' ? 'rrf(k=60)' : null,
        reranked: input.rerank,
        hits: [
          {
            id: 'p1',
            docId: 'doc-1',
            chunk: 0,
            text: 'Refund <script>alert(1)</script> policy',
            score: 0.0328,
            rerankScore: input.rerank ? 4.25 : null,
          },
          {
            id: 'p2',
            docId: 'doc-2',
            chunk: 2,
            text: 'Shipping times',
            score: 0.0161,
            rerankScore: input.rerank ? -1.5 : null,
          },
        ],
        timings: [
          ['embed', 3.2],
          ['search', 1.1],
          ['rerank', input.rerank ? 8 : 0],
          ['total', 12.4],
        ],
      }
    },
    ...over,
  }
  return { source, calls }
}

/** vector-search reported as working: search built and ready, its embeddings server and store up. */
function searchUp(base = sampleStatus(new Date('2030-01-01T12:00:08Z'))): ClusterStatus {
  return {
    ...base,
    services: base.services.map((s) =>
      s.name === 'vector-search'
        ? {
            ...s,
            dependencies: {
              embeddings: { state: 'up', critical: false },
              qdrant: { state: 'not_configured', critical: false },
              embedded_store: { state: 'up', detail: 'SQLite file', critical: true },
            },
          }
        : s,
    ),
    capabilities: base.capabilities.map((c) =>
      c.service === 'vector-search'
        ? {
            ...c,
            state: 'up',
            ready: true,
            detail: 'Working.',
            needs: c.needs.map((n) => (n === 'qdrant' ? 'embedded_store' : n)),
          }
        : c,
    ),
  }
}

function embeddingsDown(): ClusterStatus {
  const up = searchUp()
  const detail = 'connection refused'
  return {
    ...up,
    services: up.services.map((s) =>
      s.name === 'vector-search'
        ? {
            ...s,
            state: 'degraded',
            dependencies: { ...s.dependencies, embeddings: { state: 'down', detail, critical: false } },
          }
        : s,
    ),
    capabilities: up.capabilities.map((c) =>
      c.service === 'vector-search' ? { ...c, state: 'down', ready: false, detail: 'embeddings is down' } : c,
    ),
  }
}

function dashboard(search = fakeSearch().source, status: () => ClusterStatus = searchUp) {
  return buildDashboard({
    getStatus: async () => status(),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    search,
  })
}

const post = (htmx: boolean, fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  body: new URLSearchParams(fields),
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(htmx ? { 'HX-Request': 'true' } : {}) },
})

describe('GET /ui/search', () => {
  it('lists the collections with their counts, and has plain forms that work without JavaScript', async () => {
    const html = await (await dashboard().request('/ui/search')).text()
    expect(html).toContain('<a href="/ui/search" aria-current="page">Search</a>')
    expect(html).toMatch(/<tr data-collection="notes"[^>]*>[\s\S]*?data-points="42"/)
    // A per-tenant collection is not counted across its tenants.
    expect(html).toMatch(/<tr data-collection="crm"[^>]*>[\s\S]*?data-points="">per tenant[\s\S]*?by tenant/)
    for (const action of ['collections', 'ingest', 'query'])
      expect(html).toMatch(new RegExp(`<form[^>]*method="post"[^>]*action="/ui/actions/search/${action}"`))
    expect(html).toContain('data-working="true"')
    expect(html).not.toContain('data-search-down')
    expect(html).toContain('Store (embedded): working — SQLite file')
    expect(html).not.toContain('Qdrant')
  })

  it('says search is not working, and why, when the embeddings server is down', async () => {
    const html = await (await dashboard(undefined, embeddingsDown).request('/ui/search')).text()
    expect(html).toContain('data-working="false"')
    expect(html).toContain('Search is not working right now')
    expect(html).toMatch(/data-state="down"[^>]*>Embeddings server \(bge-m3\): down — connection refused/)
  })

  it('never says working when the status cannot be read or search is not built', async () => {
    const unread = await (
      await dashboard(undefined, () => {
        throw new Error('no status')
      }).request('/ui/search')
    ).text()
    expect(unread).toContain('data-working="unknown"')
    expect(unread).toContain('The status of search cannot be read right now.')
    const notBuilt = await (await dashboard(undefined, () => sampleStatus()).request('/ui/search')).text()
    expect(notBuilt).toContain('data-working="false"')
    expect(notBuilt).toContain('Search: not built yet')
  })

  it('says the collections are not available when they cannot be read', async () => {
    const { source } = fakeSearch({ collections: () => Promise.reject(new Error('down')) })
    const html = await (await dashboard(source).request('/ui/search')).text()
    expect(html).toContain('The collections are not available right now.')
  })

  it('is a placeholder when the dashboard has no search service', async () => {
    const app = buildDashboard({
      getStatus: async () => searchUp(),
      simulated: true,
      logger: silentLogger(),
      shutdown: new AbortController().signal,
    })
    expect(await (await app.request('/ui/search')).text()).toContain('The search service is not connected')
  })
})

describe('collections', () => {
  it('makes a collection and comes back to the page with it picked and the notice', async () => {
    const fake = fakeSearch()
    const app = dashboard(fake.source)
    const res = await app.request(
      '/ui/actions/search/collections',
      post(false, { name: 'faq', tenant_field: 'org' }),
    )
    expect(res.status).toBe(303)
    expect(fake.calls).toContainEqual({
      what: 'create',
      input: { name: 'faq', tenantField: 'org' },
      actor: 'dashboard',
    })
    const back = res.headers.get('location') ?? ''
    expect(back).toMatch(/^\/ui\/search\?collection=faq&notice=/)
    expect(await (await app.request(back)).text()).toContain('Made the collection faq.')
  })

  it('refuses a bad name before asking vector-search', async () => {
    const fake = fakeSearch()
    const app = dashboard(fake.source)
    const res = await app.request('/ui/actions/search/collections', post(false, { name: 'no spaces' }))
    expect(fake.calls.some((c) => c.what === 'create')).toBe(false)
    expect(await (await app.request(res.headers.get('location') ?? '')).text()).toContain(
      'A collection name is 1 to 64 letters',
    )
  })

  it('asks before a delete (fragment and page), then deletes on the confirmed post', async () => {
    const fake = fakeSearch()
    const app = dashboard(fake.source)
    const question = await (
      await app.request('/ui/fragments/search/collections/delete/confirm?name=notes')
    ).text()
    expect(question).toContain('Delete the collection notes?')
    expect(question).toContain('its 42 chunks')
    const page = await (await app.request('/ui/search?delete=notes')).text()
    expect(page).toContain('data-confirm-delete="notes"')
    expect(fake.calls.some((c) => c.what === 'delete')).toBe(false)
    const res = await app.request('/ui/actions/search/collections/delete', post(false, { name: 'notes' }))
    expect(res.status).toBe(303)
    expect(fake.calls).toContainEqual({ what: 'delete', input: 'notes', actor: 'dashboard' })
    const back = await (await app.request(res.headers.get('location') ?? '')).text()
    expect(back).toContain('Deleted the collection notes and everything in it.')
  })
})

describe('ingest', () => {
  it('ingests a pasted document with its metadata and tenant, and says what happened (htmx)', async () => {
    const fake = fakeSearch()
    const fields = {
      collection: 'crm',
      doc_id: 'doc-1',
      text: 'Hello there.',
      metadata: '{"source":"notes"}',
      tenant: 'acme',
    }
    const res = await dashboard(fake.source).request('/ui/actions/search/ingest', post(true, fields))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(fake.calls).toContainEqual({
      what: 'ingest',
      input: {
        collection: 'crm',
        docId: 'doc-1',
        text: 'Hello there.',
        metadata: { source: 'notes' },
        tenant: 'acme',
        background: false,
      },
    })
    expect(html).toMatch(/data-ingest-status="created" data-chunks="3"/)
    expect(html).toContain('New document — 3 chunks, 3 embedded in 13 ms.')
    // The counts come along, out of band, with the tenant's count of its collection.
    expect(html).toMatch(/<div id="search-collections" hx-swap-oob="true">/)
    expect(fake.calls).toContainEqual({ what: 'collections', input: 'acme' })
    expect(html).toMatch(/<tr data-collection="crm"[\s\S]*?data-points="3"/)
  })

  it('refuses metadata that is not a JSON object, and keeps the text (no JavaScript: 422 page)', async () => {
    const fake = fakeSearch()
    const fields = { collection: 'notes', doc_id: 'doc-1', text: 'Kept text', metadata: '[1,2]' }
    const res = await dashboard(fake.source).request('/ui/actions/search/ingest', post(false, fields))
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('The metadata must be a JSON object')
    expect(html).toMatch(/<textarea id="search-doc-text"[^>]*>Kept text<\/textarea>/)
    expect(fake.calls.some((c) => c.what === 'ingest')).toBe(false)
  })

  it('follows a large ingest as a job: polled in place while it runs, readable without JavaScript', async () => {
    const asked: IngestTry[] = []
    const fake = fakeSearch({
      ingest: async (input) => {
        asked.push(input)
        return { kind: 'queued', jobId: 'job_1', chunks: 100 }
      },
    })
    const app = dashboard(fake.source)
    const fields = { collection: 'notes', doc_id: 'big', text: 'word '.repeat(5000) }
    const html = await (await app.request('/ui/actions/search/ingest', post(true, fields))).text()
    // A long paste is asked for as a job, so its progress can be shown.
    expect(asked[0]?.background).toBe(true)
    expect(html).toContain('hx-get="/ui/fragments/search/job?id=job_1"')
    const running = await (await app.request('/ui/fragments/search/job?id=job_1')).text()
    expect(running).toContain('40 of 100 chunks')
    expect(running).toContain('hx-trigger="load delay:1s"')
    const page = await (await app.request('/ui/search?job=job_1')).text()
    expect(page).toContain('data-job-state="running"')
  })

  it('stops polling when the job is done, and brings the new counts', async () => {
    const done: IngestJob = {
      id: 'job_2',
      state: 'done',
      collection: 'notes',
      docId: 'big',
      done: 100,
      total: 100,
      result: { kind: 'done', status: 'replaced', chunks: 100, tookMs: 2400, embedded: 60 },
      error: null,
    }
    const fake = fakeSearch({ job: async () => done })
    const html = await (await dashboard(fake.source).request('/ui/fragments/search/job?id=job_2')).text()
    expect(html).not.toContain('hx-trigger')
    expect(html).toContain('data-ingest-status="replaced"')
    expect(html).toContain('hx-swap-oob="true"')
  })

  it('says the embeddings server is down in words, with when to retry', async () => {
    const down = new SearchSourceError(
      503,
      'embeddings_unavailable',
      'The embeddings server is unreachable.',
      5,
    )
    const fake = fakeSearch({ ingest: () => Promise.reject(down) })
    const fields = { collection: 'notes', doc_id: 'doc-1', text: 'Hello' }
    const html = await (
      await dashboard(fake.source).request('/ui/actions/search/ingest', post(true, fields))
    ).text()
    expect(html).toContain(
      'Search is not available right now: The embeddings server is unreachable. Try again in about 5 s.',
    )
    expect(html).not.toContain('data-ingest-status')
  })

  it('asks for the tenant in words when the collection keeps tenants apart', async () => {
    const refusal = new SearchSourceError(400, 'tenant_required', 'X-Tenant is required.')
    const fake = fakeSearch({ ingest: () => Promise.reject(refusal) })
    const fields = { collection: 'crm', doc_id: 'doc-1', text: 'Hello' }
    const html = await (
      await dashboard(fake.source).request('/ui/actions/search/ingest', post(true, fields))
    ).text()
    expect(html).toContain('This collection keeps tenants apart: fill in the tenant.')
  })
})

describe('query', () => {
  it('shows hits with escaped snippets, fused and rerank scores and the timings (htmx)', async () => {
    const fake = fakeSearch()
    const fields = { collection: 'notes', query: 'refunds', mode: 'hybrid', rerank: 'on' }
    const html = await (
      await dashboard(fake.source).request('/ui/actions/search/query', post(true, fields))
    ).text()
    expect(fake.calls).toContainEqual({
      what: 'query',
      input: {
        collection: 'notes',
        query: 'refunds',
        mode: 'hybrid',
        rerank: true,
        limit: 10,
        tenant: undefined,
      },
    })
    expect(html).toContain('Refund &lt;script&gt;alert(1)&lt;/script&gt; policy')
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('Fused score (rrf(k=60))')
    expect(html).toMatch(/data-score="0.0328">0.0328/)
    expect(html).toMatch(/data-rerank-score="4.25">4.2500/)
    expect(html).toMatch(/<div><dt>embed<\/dt><dd data-timing="embed">3.20 ms<\/dd><\/div>/)
    expect(html).toMatch(/data-timing="total">12.4 ms/)
  })

  it('runs one leg alone without rerank, and the page keeps the form without JavaScript', async () => {
    const fake = fakeSearch()
    const fields = { collection: 'notes', query: 'shipping', mode: 'sparse' }
    const res = await dashboard(fake.source).request('/ui/actions/search/query', post(false, fields))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Score (sparse)')
    expect(html).not.toContain('Rerank score')
    expect(html).toMatch(/value="sparse" checked/)
    expect(html).toMatch(/id="search-query-text"[^>]*value="shipping"/)
    expect(html).toContain('data-hits="2"')
  })

  it('refuses an unknown mode and an empty query before asking vector-search', async () => {
    const fake = fakeSearch()
    const app = dashboard(fake.source)
    const bad = await app.request(
      '/ui/actions/search/query',
      post(true, { collection: 'notes', query: 'x', mode: 'fuzzy' }),
    )
    expect(await bad.text()).toContain('Choose hybrid, dense or sparse.')
    const empty = await app.request(
      '/ui/actions/search/query',
      post(false, { collection: 'notes', query: '  ' }),
    )
    expect(empty.status).toBe(422)
    expect(fake.calls.some((c) => c.what === 'query')).toBe(false)
  })
})
