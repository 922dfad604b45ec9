/**
 * Qdrant's failures as the routes see them: down → `unavailable` with a retry delay, no answer →
 * `timeout`, a 5xx → `unavailable`; and RRF with a custom k on a Qdrant older than 1.16 (which
 * cannot take `{rrf: {k}}`) fused on our side with the same result. Double only (they stage faults).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createQdrantStore } from '../../services/vector-search/adapters/qdrant-store.ts'
import {
  collectionSpec,
  FUSION_POINTS,
  ids,
  querySpec,
} from '../../services/vector-search/domain/store/contract-suite.ts'
import { StoreError } from '../../services/vector-search/domain/store/ports.ts'
import { startQdrantDouble } from '../../tools/qdrant-double/server.ts'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function stub(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as StoreError,
  )

describe('Qdrant store: failures', () => {
  it('answers unavailable with a retry delay when nothing listens', async () => {
    const double = await startQdrantDouble()
    const url = double.url
    await double.close()
    const store = createQdrantStore({ url, timeoutMs: 2000, retryAfterS: 7 })
    const err = await failure(store.listCollections())
    expect(err).toBeInstanceOf(StoreError)
    expect(err).toMatchObject({ code: 'unavailable', retryAfterS: 7 })
    expect(await failure(store.query({ collection: 'x' }, querySpec({ dense: [1, 0, 0, 0] })))).toMatchObject(
      {
        code: 'unavailable',
      },
    )
  })

  it('answers timeout when Qdrant does not answer within the timeout', async () => {
    const url = await stub(() => undefined)
    const store = createQdrantStore({ url, timeoutMs: 200 })
    expect(await failure(store.getCollection('x'))).toMatchObject({ code: 'timeout' })
  })

  it('answers unavailable on a 5xx from Qdrant', async () => {
    const url = await stub((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: { error: 'Service unavailable: shard is not ready' }, time: 0 }))
    })
    const store = createQdrantStore({ url, timeoutMs: 2000 })
    expect(await failure(store.getCollection('x'))).toMatchObject({ code: 'unavailable', retryAfterS: 5 })
  })

  it('sends the API key on every call, and says so when Qdrant refuses it', async () => {
    const double = await startQdrantDouble({ apiKey: 'k-123' })
    closers.push(() => double.close())
    const keyed = createQdrantStore({ url: double.url, apiKey: 'k-123', timeoutMs: 2000 })
    await keyed.createCollection(collectionSpec('keyed'))
    expect((await keyed.listCollections()).map((c) => c.name)).toEqual(['keyed'])
    const err = await failure(createQdrantStore({ url: double.url, timeoutMs: 2000 }).listCollections())
    expect(err).toMatchObject({ code: 'failed' })
    expect(err?.message).toMatch(/API key/)
  })

  it('fuses RRF with a custom k on our side on a Qdrant older than 1.16, with the same answer', async () => {
    const answers = []
    for (const version of ['1.16.3', '1.15.5']) {
      const double = await startQdrantDouble({ version })
      closers.push(() => double.close())
      const store = createQdrantStore({ url: double.url, timeoutMs: 5000 })
      await store.createCollection(collectionSpec('c'))
      await store.upsert({ collection: 'c' }, FUSION_POINTS)
      const spec = querySpec({
        mode: 'hybrid',
        dense: [1, 0.1, 0, 0],
        sparse: { indices: [10, 12], values: [1, 0.1] },
        fusion: { kind: 'rrf', k: 60 },
      })
      double.requests.length = 0
      answers.push(await store.query({ collection: 'c' }, spec))
      const queries = double.requests.filter((r) => r.path.endsWith('/points/query'))
      // 1.16 takes {rrf: {k}} in one query; 1.15 gets one query per leg.
      expect(queries.length).toBe(version === '1.16.3' ? 1 : 2)
    }
    expect(ids(answers[1]!)).toEqual(ids(answers[0]!))
    expect(answers[1]!.map((h) => h.score)).toEqual(answers[0]!.map((h) => expect.closeTo(h.score, 6)))
  })
})
