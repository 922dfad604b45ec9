/**
 * The documents routes on both real stores — the embedded store (SQLite, in memory) and the Qdrant
 * store against the Qdrant double — rather than the test double: the behaviours hold on each.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type Backing, type DocumentsApp, documentsApp, send } from '../testing/documents-app.ts'

const URL = '/api/search/collections/notes/documents'
const text = (word: string, n: number) =>
  `# ${word}\n\n${Array.from({ length: n }, (_, i) => `The ${word} line ${i} says something.`).join(' ')}`

let t: DocumentsApp
afterEach(async () => {
  await t?.close()
})

const ingest = (documents: unknown[], tenant?: string) => send(t, 'POST', URL, { documents }, tenant)

describe.each<Backing>(['embedded', 'qdrant'])('documents on the %s store', (backing) => {
  it('ingest, unchanged re-ingest (0 embed calls, 0 writes), changed re-ingest, delete', async () => {
    t = await documentsApp(
      { CHUNK_TOKENS: '32', CHUNK_OVERLAP_TOKENS: '4', INGEST_STORE_BATCH: '2' },
      [{}],
      backing,
    )
    const first = await (
      await ingest([{ id: 'a', text: text('alpha', 20), metadata: { kind: 'memo' } }])
    ).json()
    expect(first.documents[0].status).toBe('created')
    expect(await t.stored()).toHaveLength(first.chunks)
    const [calls, writes] = [t.embed.state.calls, t.counted.writes()]
    const again = await (
      await ingest([{ id: 'a', text: text('alpha', 20), metadata: { kind: 'memo' } }])
    ).json()
    expect(again.documents[0]).toMatchObject({ status: 'unchanged', embedded: 0 })
    expect([t.embed.state.calls, t.counted.writes()]).toEqual([calls, writes])
    const changed = await (
      await ingest([{ id: 'a', text: text('omega', 5), metadata: { kind: 'memo' } }])
    ).json()
    expect(changed.documents[0].status).toBe('replaced')
    const now = await t.stored()
    expect(now).toHaveLength(changed.chunks)
    expect(now.every((p) => String(p.payload?.text).includes('omega'))).toBe(true)
    expect(await (await send(t, 'DELETE', `${URL}/a`)).json()).toEqual({ deleted: changed.chunks })
    expect(await t.stored()).toEqual([])
  })

  it('keeps tenants apart and writes nothing when the embeddings server is down', async () => {
    t = await documentsApp(
      {},
      [{ tenantField: 'tenant', indexes: [{ field: 'tenant', type: 'keyword' }] }],
      backing,
    )
    await ingest([{ id: 'd', text: 'Tenant A note.' }], 'a')
    await ingest([{ id: 'd', text: 'Tenant B note.' }], 'b')
    expect((await t.stored('notes', 'a')).map((p) => p.payload?.text)).toEqual(['Tenant A note.'])
    expect((await t.stored('notes', 'b')).map((p) => p.payload?.text)).toEqual(['Tenant B note.'])
    t.embed.state.down = true
    const res = await ingest([{ id: 'd', text: 'Changed A note.' }], 'a')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).not.toBeNull()
    expect((await t.stored('notes', 'a')).map((p) => p.payload?.text)).toEqual(['Tenant A note.'])
    const filter = { filter: { must: [{ key: 'doc_id', match: { value: 'd' } }] } }
    expect(await (await send(t, 'POST', `${URL}/delete`, filter, 'b')).json()).toEqual({ deleted: 1 })
    expect(await t.stored('notes', 'b')).toEqual([])
    expect(await t.stored('notes', 'a')).toHaveLength(1)
  })
})
