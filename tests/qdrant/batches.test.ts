/**
 * Oversize writes are split under Qdrant's limits by bytes and by count: asserted on the Qdrant
 * double's request log (these run on the double whatever QDRANT_URL says, since they read its log).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createQdrantStore } from '../../services/vector-search/adapters/qdrant-store.ts'
import type { Point, VectorStore } from '../../services/vector-search/domain/store/ports.ts'
import { type QdrantDouble, startQdrantDouble } from '../../tools/qdrant-double/server.ts'

const MiB = 1024 * 1024
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

/** A point of about 17 KB on the wire: a chunk of text, as ingestion writes them, and small vectors. */
function bigPoint(n: number, doc = 'big'): Point {
  return {
    id: uuid(n),
    dense: [1, n % 7, 0.5, 0.25],
    sparse: { indices: [n % 50, 100 + (n % 13)], values: [0.5, 0.25] },
    payload: { doc, text: `chunk ${n} `.padEnd(17_000, 'lorem ipsum ') },
  }
}

const writes = (double: QdrantDouble) =>
  double.requests.filter((r) => r.method !== 'GET' && /\/points(\/batch)?$/.test(r.path))

describe('Qdrant store: batches under the request limits', () => {
  let double: QdrantDouble
  let store: VectorStore
  const open = (batch?: { maxBytes?: number; maxPoints?: number }) =>
    createQdrantStore({ url: double.url, timeoutMs: 30_000, batch })

  beforeEach(async () => {
    double = await startQdrantDouble()
  })
  afterEach(async () => {
    await store?.close()
    await double.close()
  })

  async function collection(name: string) {
    await store.createCollection({
      name,
      dense: { size: 4, distance: 'Cosine' },
      sparse: { idf: false },
      indexes: [],
    })
  }

  it('splits a 3,000-point upsert of ~17 KB points into requests under 256 points and 8 MiB each', async () => {
    store = open()
    await collection('big')
    await store.upsert(
      { collection: 'big' },
      Array.from({ length: 3000 }, (_, i) => bigPoint(i)),
    )
    const requests = writes(double)
    expect(requests.length).toBeGreaterThanOrEqual(Math.ceil(3000 / 256))
    for (const r of requests) {
      expect(r.status).toBe(200)
      expect(r.points).toBeLessThanOrEqual(256)
      expect(r.bytes).toBeLessThanOrEqual(8 * MiB)
    }
    expect(requests.reduce((n, r) => n + r.points, 0)).toBe(3000)
    expect((await store.getCollection('big'))?.points).toBe(3000)
  }, 60_000)

  it('splits by bytes when the byte budget binds first', async () => {
    store = open({ maxBytes: 1 * MiB, maxPoints: 256 })
    await collection('bytes')
    await store.upsert(
      { collection: 'bytes' },
      Array.from({ length: 600 }, (_, i) => bigPoint(i)),
    )
    const requests = writes(double)
    // 1 MiB holds about 60 points of 17 KB: the count limit never comes into play.
    expect(requests.length).toBeGreaterThanOrEqual(10)
    for (const r of requests) {
      expect(r.bytes).toBeLessThanOrEqual(1 * MiB)
      expect(r.points).toBeLessThan(70)
    }
    expect(requests.reduce((n, r) => n + r.points, 0)).toBe(600)
  }, 60_000)

  it('replaces a large document over several requests, the old chunks removed by the last one', async () => {
    store = open({ maxBytes: 1 * MiB })
    await collection('swap')
    await store.upsert(
      { collection: 'swap' },
      Array.from({ length: 200 }, (_, i) => bigPoint(i, 'd1')),
    )
    double.requests.length = 0
    const next = Array.from({ length: 300 }, (_, i) => bigPoint(1000 + i, 'd1'))
    await store.replace({ collection: 'swap' }, { must: [{ key: 'doc', match: { value: 'd1' } }] }, next)
    const requests = writes(double)
    expect(requests.length).toBeGreaterThan(1)
    for (const r of requests) expect(r.bytes).toBeLessThanOrEqual(1 * MiB)
    expect(requests.at(-1)?.path).toBe('/collections/swap/points/batch')
    const left = await store.scroll({ collection: 'swap' }, {}, 1000)
    expect(left.length).toBe(300)
    expect(left.every((p) => Number.parseInt(p.id.slice(-12), 16) >= 1000)).toBe(true)
  }, 60_000)

  it('a small replace is a single points/batch request (delete and upsert together)', async () => {
    store = open()
    await collection('small')
    await store.upsert({ collection: 'small' }, [bigPoint(1, 'd1'), bigPoint(2, 'd1')])
    double.requests.length = 0
    await store.replace({ collection: 'small' }, { must: [{ key: 'doc', match: { value: 'd1' } }] }, [
      bigPoint(3, 'd1'),
    ])
    expect(writes(double).map((r) => [r.path, r.points])).toEqual([['/collections/small/points/batch', 1]])
    expect((await store.scroll({ collection: 'small' }, {}, 10)).map((p) => p.id)).toEqual([uuid(3)])
  })

  it('refuses a single point larger than the byte budget (too_large) and writes nothing', async () => {
    store = open({ maxBytes: 16 * 1024 })
    await collection('huge')
    const err = await store
      .upsert({ collection: 'huge' }, [bigPoint(1), bigPoint(2)])
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'StoreError', code: 'too_large' })
    expect(writes(double)).toEqual([])
  })

  it("maps Qdrant's own refusal of an oversize body (its 32 MiB limit) to too_large", async () => {
    await double.close()
    double = await startQdrantDouble({ maxRequestBytes: 64 * 1024 })
    store = open({ maxBytes: 1 * MiB })
    await collection('limit')
    const err = await store
      .upsert(
        { collection: 'limit' },
        Array.from({ length: 10 }, (_, i) => bigPoint(i)),
      )
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ name: 'StoreError', code: 'too_large' })
    expect((await store.getCollection('limit'))?.points).toBe(0)
  })
})
