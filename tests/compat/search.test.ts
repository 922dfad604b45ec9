/**
 * The earlier `POST /api/search` replayed the way the CRM uses it: the CRM builds its own Qdrant
 * collection (its own vector names, a dense vector from our embeddings and a BM25 sparse vector it
 * computes itself, Qdrant's idf modifier on) and asks /api/search with its query text and its BM25
 * vector. Qdrant is the Qdrant double (tools/qdrant-double/); the service runs in this process, as
 * the demo stack runs the embedded store and this route needs Qdrant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { earlierQdrantFrom } from '../../services/vector-search/adapters/search-earlier-qdrant.ts'
import { createVectorUpstreams } from '../../services/vector-search/adapters/upstreams.ts'
import { buildApp } from '../../services/vector-search/app.ts'
import { loadVectorConfig } from '../../services/vector-search/config.ts'
import {
  denseOf,
  sparseOf,
  TEST_DIM,
  wordsEmbedder,
} from '../../services/vector-search/domain/query/testing.ts'
import { silentLogger } from '../../shared/logger.ts'
import { type QdrantDouble, startQdrantDouble } from '../../tools/qdrant-double/server.ts'

const COLLECTION = 'crm-contacts_v2'
const NOTES = [
  { id: 1, text: 'called about the pension transfer', owner: 'jo' },
  { id: 2, text: 'pension review booked for march', owner: 'sam' },
  { id: 3, text: 'sent the mortgage offer letter', owner: 'jo' },
  { id: 4, text: 'left a voicemail about the annual review', owner: 'jo' },
]

let qdrant: QdrantDouble
beforeAll(async () => {
  qdrant = await startQdrantDouble()
  await qdrantCall('PUT', `/collections/${COLLECTION}`, {
    vectors: { 'text-dense': { size: TEST_DIM, distance: 'Cosine' } },
    sparse_vectors: { bm25: { modifier: 'idf' } },
  })
  await qdrantCall('PUT', `/collections/${COLLECTION}/points?wait=true`, {
    points: NOTES.map((n) => ({
      id: n.id,
      vector: { 'text-dense': denseOf(n.text), bm25: sparseOf(n.text) },
      payload: { text: n.text, owner: n.owner },
    })),
  })
})
afterAll(async () => {
  await qdrant.close()
})

async function qdrantCall(method: string, path: string, body: unknown) {
  const res = await fetch(`${qdrant.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(res.status, await res.clone().text()).toBe(200)
}

function earlierApp(withQdrant = true) {
  const config = loadVectorConfig({ QDRANT_URL: qdrant.url })
  const app = buildApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    embedder: wordsEmbedder(),
    // As main.ts builds it: from QDRANT_URL; without one the service has only the embedded store.
    earlierQdrant: withQdrant ? earlierQdrantFrom(config) : undefined,
  })
  return async (body: unknown) => {
    const res = await app.request('/api/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return { status: res.status, headers: res.headers, body: await res.json() }
  }
}

const using = { dense: 'text-dense', sparse: 'bm25' }

describe('earlier POST /api/search (compatibility)', () => {
  it('fuses our dense query vector with the client’s BM25 vector over its own vector names', async () => {
    const search = earlierApp()
    const { status, body } = await search({
      collection: COLLECTION,
      query: 'pension review',
      sparse: sparseOf('pension review'),
      using,
      limit: 3,
    })
    expect(status).toBe(200)
    expect(body.mode).toBe('hybrid')
    expect(body.results).toHaveLength(3)
    expect(body.results[0]).toMatchObject({ id: 2, payload: { text: NOTES[1]?.text } })
    const sent = qdrant.requests.filter((r) => r.path.endsWith('/points/query'))
    expect(sent.at(-1)?.path).toBe(`/collections/${COLLECTION}/points/query`)
  })

  it('filters inside both legs, and searches one vector alone when only one is given', async () => {
    const search = earlierApp()
    const filter = { must: [{ key: 'owner', match: { value: 'jo' } }] }
    const both = await search({
      collection: COLLECTION,
      query: 'pension review',
      sparse: sparseOf('pension'),
      using,
      filter,
    })
    expect(both.body.results.map((r: { id: number }) => r.id).sort()).toEqual([1, 3, 4])
    const sparseOnly = await search({ collection: COLLECTION, sparse: sparseOf('mortgage'), using, limit: 1 })
    expect(sparseOnly.body).toMatchObject({ mode: 'sparse', results: [{ id: 3 }] })
    const denseOnly = await search({ collection: COLLECTION, query: 'voicemail annual', using, limit: 1 })
    expect(denseOnly.body).toMatchObject({ mode: 'dense', results: [{ id: 4 }] })
  })

  it('keeps the earlier errors: 400 for a name outside the whitelist, 404, Qdrant’s 400, detail bodies', async () => {
    const search = earlierApp()
    for (const collection of ['../collections', 'a/b', 'x'.repeat(65)]) {
      const res = await search({ collection, query: 'x', using })
      expect(res.status).toBe(400)
      expect(typeof res.body.detail).toBe('string')
    }
    expect((await search({ collection: 'nobody', query: 'x', using })).status).toBe(404)
    const wrongName = await search({
      collection: COLLECTION,
      query: 'x',
      using: { dense: 'dense', sparse: 'bm25' },
    })
    expect(wrongName.status).toBe(400)
    expect(wrongName.body.detail).toContain('Qdrant refused the search')
    const invalid = await search({ collection: COLLECTION, limit: 0 })
    expect(invalid.status).toBe(422)
    expect(Array.isArray(invalid.body.detail)).toBe(true)
  })

  it('answers 503 saying why when the service runs only the embedded store', async () => {
    const res = await earlierApp(false)({ collection: COLLECTION, query: 'pension', using })
    expect(res.status).toBe(503)
    expect(res.body.detail).toContain('embedded store')
  })
})
