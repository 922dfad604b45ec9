import { afterEach, describe, expect, it } from 'vitest'
import { type AuditStore, openAuditStore } from '../../../shared/audit/store.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { openEmbeddedStore } from '../adapters/embedded-store.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'
import { TEST_DIM, wordsEmbedder } from '../domain/query/testing.ts'
import type { VectorStore } from '../domain/store/ports.ts'

const open: Array<VectorStore | AuditStore> = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

async function auditedApp() {
  const store = await openEmbeddedStore({ path: ':memory:' })
  const audit = await openAuditStore(':memory:', { logger: silentLogger() })
  open.push(store, audit)
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded' })
  const app = buildApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    store,
    embedder: wordsEmbedder(),
    audit,
  })
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-spark-actor': 'indexer' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return { app, call }
}

describe('vector-search audit', () => {
  it('records collection create and delete, and a refused delete, with actor and outcome', async () => {
    const { app, call } = await auditedApp()
    expect(
      (await call('POST', '/api/search/collections', { name: 'notes', dense: { size: TEST_DIM } })).status,
    ).toBe(201)
    expect((await call('DELETE', '/api/search/collections/notes')).status).toBe(400)
    expect((await call('DELETE', '/api/search/collections/notes?confirm=notes')).status).toBe(200)
    const res = await app.request('/api/vector-search/audit?action=collection')
    const { entries } = await res.json()
    expect(entries.map((e: { action: string; outcome: string }) => `${e.action} ${e.outcome}`)).toEqual([
      'collection.delete ok',
      'collection.delete refused',
      'collection.create ok',
    ])
    expect(
      entries.every((e: { actor: string; target: string }) => e.actor === 'indexer' && e.target === 'notes'),
    ).toBe(true)
  })

  it('records an ingest by count, never the documents’ text', async () => {
    const { app, call } = await auditedApp()
    await call('POST', '/api/search/collections', { name: 'notes', dense: { size: TEST_DIM } })
    const secret = 'the vault code is 4417'
    await call('POST', '/api/search/collections/notes/documents', { documents: [{ id: 'd1', text: secret }] })
    const { entries } = await (await app.request('/api/vector-search/audit?action=document.ingest')).json()
    expect(entries).toEqual([expect.objectContaining({ target: 'notes', detail: '1 document(s)' })])
    expect(JSON.stringify(entries)).not.toContain('4417')
  })
})
