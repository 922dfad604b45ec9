import { afterEach, describe, expect, it } from 'vitest'
import { type DocumentsApp, documentsApp, send } from '../testing/documents-app.ts'

const URL = '/api/search/collections/notes/documents'
const longText = (word: string, n = 40) =>
  `# ${word}\n\n${Array.from({ length: n }, (_, i) => `The ${word} sentence number ${i} is here.`).join(' ')}`

let t: DocumentsApp
afterEach(() => t?.close())

const ingest = (docs: unknown[], tenant?: string, query = '') =>
  send(t, 'POST', `${URL}${query}`, { documents: docs }, tenant)

describe('POST /api/search/collections/{name}/documents', () => {
  it('ingests, then an unchanged re-ingest makes 0 embedding calls and 0 writes', async () => {
    t = await documentsApp({ CHUNK_TOKENS: '32', CHUNK_OVERLAP_TOKENS: '4' }, [{}])
    const doc = { id: 'doc-1', text: longText('alpha'), metadata: { source: 'crm' } }
    const first = await ingest([doc])
    expect(first.status).toBe(200)
    const body = await first.json()
    expect(body.documents[0]).toMatchObject({ id: 'doc-1', status: 'created' })
    expect(body.chunks).toBeGreaterThan(3)
    expect(body.embedded).toBe(body.chunks)
    expect(body.timings).toMatchObject({ chunk_ms: expect.any(Number), total_ms: expect.any(Number) })
    const stored = t.memory.points('notes')
    expect(stored).toHaveLength(body.chunks)
    expect(stored[0]!.payload).toMatchObject({
      doc_id: 'doc-1',
      chunk_index: 0,
      heading: ['alpha'],
      offsets: { start: 0, end: expect.any(Number) },
      content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      source: 'crm',
    })
    const [calls, writes] = [t.embed.state.calls, t.counted.writes()]
    const again = await ingest([doc])
    expect((await again.json()).documents[0]).toEqual({
      id: 'doc-1',
      status: 'unchanged',
      chunks: body.chunks,
      embedded: 0,
    })
    expect(t.embed.state.calls - calls).toBe(0)
    expect(t.counted.writes() - writes).toBe(0)
  })

  it('replaces the chunks of a changed document: the old text is gone, the new one is there', async () => {
    t = await documentsApp({ CHUNK_TOKENS: '32', CHUNK_OVERLAP_TOKENS: '4' }, [{}])
    await ingest([{ id: 'd', text: longText('alpha') }])
    const res = await ingest([{ id: 'd', text: longText('omega', 10) }])
    const out = (await res.json()).documents[0]
    expect(out.status).toBe('replaced')
    const texts = t.memory.points('notes').map((p) => String(p.payload.text))
    expect(texts).toHaveLength(out.chunks)
    expect(texts.some((x) => x.includes('alpha'))).toBe(false)
    expect(texts.some((x) => x.includes('omega'))).toBe(true)
  })

  it('splits oversize batches: embedding calls and writes stay under the configured counts', async () => {
    t = await documentsApp(
      { CHUNK_TOKENS: '24', CHUNK_OVERLAP_TOKENS: '0', INGEST_EMBED_BATCH: '3', INGEST_STORE_BATCH: '2' },
      [{}],
    )
    const res = await ingest([{ id: 'big', text: longText('beta', 20) }])
    const { chunks } = await res.json()
    expect(chunks).toBeGreaterThan(6)
    expect(Math.max(...t.embed.state.batchSizes)).toBeLessThanOrEqual(3)
    expect(t.embed.state.texts).toBe(chunks)
    expect(t.counted.counts.upserts + t.counted.counts.replaces).toBe(Math.ceil(chunks / 2))
    expect(t.memory.points('notes')).toHaveLength(chunks)
  })

  it('answers 503 + Retry-After when the embeddings server is down, and writes nothing', async () => {
    t = await documentsApp({}, [{}])
    await ingest([{ id: 'kept', text: 'An existing note.' }])
    const before = t.memory.points('notes')
    const writes = t.counted.writes()
    t.embed.state.down = true
    const res = await ingest([
      { id: 'new', text: 'A new note.' },
      { id: 'kept', text: 'The existing note, changed.' },
    ])
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(t.counted.writes()).toBe(writes)
    expect(t.memory.points('notes')).toEqual(before)
  })

  it('refuses malformed input with the failing field named', async () => {
    t = await documentsApp({ INGEST_MAX_DOCUMENTS: '2', INGEST_MAX_METADATA_BYTES: '256' }, [{}])
    const fieldsOf = async (res: Response) => {
      const body = await res.json()
      return { status: res.status, fields: (body.errors ?? []).map((e: { field: string }) => e.field) }
    }
    expect(await fieldsOf(await send(t, 'POST', URL, '{"documents": ['))).toMatchObject({ status: 422 })
    expect(await fieldsOf(await send(t, 'POST', URL, {}))).toEqual({ status: 422, fields: ['documents'] })
    expect(await fieldsOf(await ingest([]))).toEqual({ status: 422, fields: ['documents'] })
    expect(await fieldsOf(await ingest([{ id: 'a', text: '  \n ' }]))).toEqual({
      status: 422,
      fields: ['documents.0.text'],
    })
    expect(await fieldsOf(await ingest([{ id: '', text: 'x' }]))).toEqual({
      status: 422,
      fields: ['documents.0.id'],
    })
    expect(await fieldsOf(await ingest([{ id: 'a', text: 'x', metadata: [1] }]))).toEqual({
      status: 422,
      fields: ['documents.0.metadata'],
    })
    expect(
      await fieldsOf(await ingest([{ id: 'a', text: 'x', metadata: { doc_id: 'b', text: 'y' } }])),
    ).toEqual({
      status: 422,
      fields: ['documents.0.metadata.doc_id', 'documents.0.metadata.text'],
    })
    expect(
      await fieldsOf(
        await ingest([
          { id: 'a', text: 'x' },
          { id: 'a', text: 'y' },
        ]),
      ),
    ).toEqual({ status: 422, fields: ['documents.1.id'] })
    const three = [1, 2, 3].map((i) => ({ id: `d${i}`, text: 'x' }))
    expect((await ingest(three)).status).toBe(413)
    expect((await ingest([{ id: 'a', text: 'x', metadata: { big: 'y'.repeat(300) } }])).status).toBe(413)
    expect(
      (await send(t, 'POST', '/api/search/collections/bad%20name/documents', { documents: three })).status,
    ).toBe(400)
    expect(
      (await send(t, 'POST', '/api/search/collections/nope/documents', { documents: [three[0]] })).status,
    ).toBe(404)
    expect(t.embed.state.calls).toBe(0)
    expect(t.counted.writes()).toBe(0)
  })
})

describe('tenants', () => {
  it('requires X-Tenant, stamps it, and never lets one tenant see or delete another', async () => {
    t = await documentsApp({}, [{ tenantField: 'tenant' }])
    const missing = await ingest([{ id: 'd', text: 'Shared id.' }])
    expect(missing.status).toBe(400)
    expect((await missing.json()).type).toContain('tenant_required')
    expect((await ingest([{ id: 'd', text: 'Shared id.' }], 'bad tenant!')).status).toBe(400)
    const forbidden = await ingest([{ id: 'd', text: 'x', metadata: { tenant: 'b' } }], 'a')
    expect(forbidden.status).toBe(422)
    expect((await ingest([{ id: 'd', text: 'Shared id.' }], 'a')).status).toBe(200)
    const b = await ingest([{ id: 'd', text: 'Shared id.' }], 'b')
    // The same document id and text in another tenant is its own document, not "unchanged".
    expect((await b.json()).documents[0].status).toBe('created')
    const points = t.memory.points('notes')
    expect(points.map((p) => p.payload.tenant).sort()).toEqual(['a', 'b'])
    expect(new Set(points.map((p) => p.id)).size).toBe(2)
    const del = await send(t, 'DELETE', `${URL}/d`, undefined, 'a')
    expect(await del.json()).toEqual({ deleted: 1 })
    expect(t.memory.points('notes').map((p) => p.payload.tenant)).toEqual(['b'])
    expect((await send(t, 'DELETE', `${URL}/d`)).status).toBe(400)
    const byFilter = await send(
      t,
      'POST',
      `${URL}/delete`,
      { filter: { must: [{ key: 'doc_id', match: { value: 'd' } }] } },
      'a',
    )
    expect(await byFilter.json()).toEqual({ deleted: 0 })
    expect(t.memory.points('notes')).toHaveLength(1)
  })
})

describe('deletes', () => {
  it('deletes a document by id and chunks by filter, visible at once; refuses an empty or bad filter', async () => {
    t = await documentsApp({ CHUNK_TOKENS: '32', CHUNK_OVERLAP_TOKENS: '0' }, [{}])
    await ingest([
      { id: 'a', text: longText('alpha', 10), metadata: { kind: 'memo' } },
      { id: 'b', text: 'Bravo.', metadata: { kind: 'memo' } },
      { id: 'c', text: 'Charlie.', metadata: { kind: 'mail' } },
    ])
    const aChunks = t.memory.points('notes').filter((p) => p.payload.doc_id === 'a').length
    expect(await (await send(t, 'DELETE', `${URL}/a`)).json()).toEqual({ deleted: aChunks })
    expect(t.memory.points('notes').some((p) => p.payload.doc_id === 'a')).toBe(false)
    expect(await (await send(t, 'DELETE', `${URL}/a`)).json()).toEqual({ deleted: 0 })
    const memo = { filter: { must: [{ key: 'kind', match: { value: 'memo' } }] } }
    expect(await (await send(t, 'POST', `${URL}/delete`, memo)).json()).toEqual({ deleted: 1 })
    expect(t.memory.points('notes').map((p) => p.payload.doc_id)).toEqual(['c'])
    expect((await send(t, 'POST', `${URL}/delete`, { filter: {} })).status).toBe(400)
    expect((await send(t, 'POST', `${URL}/delete`, { filter: { must: [{ nope: 1 }] } })).status).toBe(400)
    expect((await send(t, 'POST', `${URL}/delete`, {})).status).toBe(422)
    expect(t.memory.points('notes')).toHaveLength(1)
  })
})
