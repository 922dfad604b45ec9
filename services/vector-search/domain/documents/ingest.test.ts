import { beforeEach, describe, expect, it } from 'vitest'
import { countingEmbedder, countingStore, createMemoryStore } from '../../testing/documents-doubles.ts'
import { EmbedderError } from '../embed/ports.ts'
import { StoreError } from '../store/ports.ts'
import { createIngester, docFilter } from './ingest.ts'
import { type DocumentInput, prepareDocument } from './prepare.ts'

const chunking = { sizeTokens: 20, overlapTokens: 4 }
const settings = {
  embedBatch: { maxCount: 4, maxBytes: 10_000 },
  storeBatch: { maxCount: 3, maxBytes: 1_000_000 },
  waveChunks: 1000,
}
const scope = { collection: 'docs' }
const longText = (word: string) =>
  Array.from({ length: 12 }, (_, i) => `${word} sentence ${i} here.`).join(' ')

async function setup() {
  const memory = createMemoryStore()
  await memory.createCollection({
    name: 'docs',
    dense: { size: 8, distance: 'Cosine' },
    sparse: { idf: false },
    indexes: [],
  })
  const counted = countingStore(memory)
  const embed = countingEmbedder()
  const ingester = createIngester({ store: counted.store, embedder: embed.embedder, settings })
  const ingest = (docs: DocumentInput[]) =>
    ingester.ingest(
      scope,
      docs.map((d) => prepareDocument(d, chunking, {})),
    )
  return { memory, counted, embed, ingest }
}

let t: Awaited<ReturnType<typeof setup>>
beforeEach(async () => {
  t = await setup()
})

describe('ingest', () => {
  it('creates a document, then an unchanged re-ingest makes no embedding call and no write', async () => {
    const first = await t.ingest([{ id: 'a', text: longText('alpha'), metadata: { lang: 'en' } }])
    expect(first.documents[0]).toMatchObject({ id: 'a', status: 'created' })
    const chunks = first.documents[0]!.chunks
    expect(chunks).toBeGreaterThan(3)
    expect(t.memory.points('docs')).toHaveLength(chunks)
    const [calls, writes] = [t.embed.state.calls, t.counted.writes()]
    const again = await t.ingest([{ id: 'a', text: longText('alpha'), metadata: { lang: 'en' } }])
    expect(again.documents[0]).toEqual({ id: 'a', status: 'unchanged', chunks, embedded: 0 })
    expect(t.embed.state.calls).toBe(calls)
    expect(t.counted.writes()).toBe(writes)
  })

  it('replaces a changed document: only new chunks embedded, old ones gone, kept ones untouched', async () => {
    await t.ingest([{ id: 'a', text: longText('alpha') }])
    const before = new Set(t.memory.points('docs').map((p) => p.id))
    const texts = t.embed.state.texts
    const changed = `${longText('alpha').slice(0, -5)} and a different end.`
    const out = await t.ingest([{ id: 'a', text: changed }])
    expect(out.documents[0]!.status).toBe('replaced')
    expect(out.documents[0]!.embedded).toBeLessThan(out.documents[0]!.chunks)
    expect(t.embed.state.texts - texts).toBe(out.documents[0]!.embedded)
    const after = t.memory.points('docs')
    expect(after).toHaveLength(out.documents[0]!.chunks)
    expect(after.map((p) => p.payload.text).join(' ')).toContain('different end')
    expect(after.filter((p) => before.has(p.id))).toHaveLength(
      out.documents[0]!.chunks - out.documents[0]!.embedded,
    )
  })

  it('re-embeds chunks whose metadata changed (same ids, new payload)', async () => {
    await t.ingest([{ id: 'a', text: 'One short text.', metadata: { v: 1 } }])
    const out = await t.ingest([{ id: 'a', text: 'One short text.', metadata: { v: 2 } }])
    expect(out.documents[0]).toMatchObject({ status: 'replaced', embedded: 1 })
    expect(t.memory.points('docs').map((p) => p.payload.v)).toEqual([2])
  })

  it('shrinking a document removes its trailing chunks', async () => {
    await t.ingest([{ id: 'a', text: longText('alpha') }])
    const out = await t.ingest([{ id: 'a', text: 'alpha sentence 0 here.' }])
    expect(out.documents[0]!.status).toBe('replaced')
    expect(t.memory.points('docs')).toHaveLength(1)
  })

  it('splits embedding and write batches by count', async () => {
    const out = await t.ingest([{ id: 'a', text: longText('alpha') }])
    const chunks = out.documents[0]!.chunks
    expect(Math.max(...t.embed.state.batchSizes)).toBeLessThanOrEqual(4)
    expect(t.embed.state.batchSizes.reduce((a, b) => a + b, 0)).toBe(chunks)
    expect(t.counted.counts.upserts + t.counted.counts.replaces).toBe(Math.ceil(chunks / 3))
  })

  it('an embeddings server that is down writes nothing, for any document of the wave', async () => {
    await t.ingest([{ id: 'a', text: longText('alpha') }])
    const stored = t.memory.points('docs')
    const writes = t.counted.writes()
    t.embed.state.down = true
    const failed = t.ingest([
      { id: 'b', text: 'brand new' },
      { id: 'a', text: longText('changed') },
    ])
    await expect(failed).rejects.toBeInstanceOf(EmbedderError)
    expect(t.counted.writes()).toBe(writes)
    expect(t.memory.points('docs')).toEqual(stored)
  })

  it('a store failure midway removes the points it added, so the old document stays whole', async () => {
    await t.ingest([{ id: 'a', text: 'old text.' }])
    const stored = t.memory.points('docs')
    const before = t.counted.counts.upserts + t.counted.counts.replaces
    t.counted.control.failWritesAfter = before + 1
    await expect(t.ingest([{ id: 'a', text: longText('new') }])).rejects.toBeInstanceOf(StoreError)
    expect(t.counted.counts.upserts + t.counted.counts.replaces).toBe(before + 1)
    expect(t.memory.points('docs')).toEqual(stored)
  })

  it('runs two ingests of one document one after the other', async () => {
    const outs = await Promise.all([
      t.ingest([{ id: 'a', text: longText('alpha') }]),
      t.ingest([{ id: 'a', text: longText('alpha') }]),
    ])
    expect(outs.map((o) => o.documents[0]!.status).sort()).toEqual(['created', 'unchanged'])
    expect(await t.counted.store.scroll(scope, docFilter('a'), 100)).toHaveLength(
      outs[0]!.documents[0]!.chunks,
    )
  })

  it('reports each document as it finishes', async () => {
    const seen: string[] = []
    const memoryIngester = createIngester({ store: t.counted.store, embedder: t.embed.embedder, settings })
    await memoryIngester.ingest(
      scope,
      ['x', 'y'].map((id) => prepareDocument({ id, text: `text of ${id}` }, chunking, {})),
      { onDocument: (o) => seen.push(`${o.id}:${o.status}`) },
    )
    expect(seen).toEqual(['x:created', 'y:created'])
  })
})
