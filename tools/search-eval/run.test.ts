import { describe, expect, it } from 'vitest'
import type { QueryRequest, QueryResponse } from '../../shared/contracts/vector-search.ts'
import { type EvalDocument, RouteError, type SearchClient } from './client.ts'
import type { EvalSet } from './dataset.ts'
import { renderEval } from './report.ts'
import { runEval } from './run.ts'

const set: EvalSet = {
  passages: [
    { _id: 'p1', title: 'Invoices', text: 'invoice INV-1 was paid twice' },
    { _id: 'p2', title: 'Channels', text: 'the channel was force closed' },
    { _id: 'p3', title: 'Keys', text: 'the signing device was lost' },
  ],
  queries: [
    { _id: 'q1', text: 'invoice', metadata: { kind: 'entity' } },
    { _id: 'q2', text: 'channel', metadata: { kind: 'topical' } },
  ],
  qrels: new Map([
    ['q1', new Map([['p1', 2]])],
    ['q2', new Map([['p2', 2]])],
  ]),
}

/** A service stand-in: every document is two chunks; ranks chunks by the query word, reversed for `sparse`. */
function fakeService(refuse?: (r: Partial<QueryRequest>) => boolean) {
  const calls = { created: [] as string[], deleted: [] as string[], ingested: [] as EvalDocument[] }
  const queries: Partial<QueryRequest>[] = []
  const client: SearchClient = {
    baseUrl: 'http://fake',
    async createCollection(name) {
      calls.created.push(name)
    },
    async deleteCollection(name) {
      calls.deleted.push(name)
    },
    async ingest(_collection, documents) {
      calls.ingested.push(...documents)
      return { chunks: documents.length * 2 }
    },
    async query(_collection, request): Promise<QueryResponse> {
      queries.push(request)
      if (refuse?.(request)) throw new RouteError('POST query', 503, 'reranker unavailable')
      const word = request.query!
      const hits = calls.ingested
        .flatMap((d) => [0, 1].map((chunk) => ({ d, chunk })))
        .sort((a, b) => Number(b.d.text.includes(word)) - Number(a.d.text.includes(word)))
      const ordered = request.mode === 'sparse' ? hits.reverse() : hits
      return {
        results: ordered.map(({ d, chunk }, i) => ({
          id: `${d.id}-${chunk}`,
          score: 1 / (i + 1),
          payload: { doc_id: d.id, chunk_index: chunk },
        })),
        timings_ms: { embed: 1, search: 1, rerank: 0, total: 3 },
        mode: request.mode ?? 'hybrid',
        fusion: null,
      }
    },
  }
  return { client, calls, queries }
}

describe('runEval', () => {
  it('ingests every passage with its title, asks every query in every mode and scores documents, not chunks', async () => {
    const { client, calls, queries } = fakeService()
    const run = await runEval(client, set, { collection: 'eval_t' })
    expect(calls.ingested.map((d) => d.id)).toEqual(['p1', 'p2', 'p3'])
    expect(calls.ingested[0]!.text).toBe('Invoices\n\ninvoice INV-1 was paid twice')
    expect(run.chunks).toBe(6)
    expect(queries.every((q) => q.limit === 50)).toBe(true)
    expect(queries).toHaveLength(2 * run.modes.length)
    const dense = run.modes.find((m) => m.mode === 'dense')!
    // both chunks of the right document come first: it ranks first once, nDCG 1
    expect(dense.all?.ndcg10).toBeCloseTo(1, 12)
    expect(dense.perQuery[0]!.top10).toEqual(['p1', 'p2', 'p3'])
    const sparse = run.modes.find((m) => m.mode === 'sparse')!
    expect(sparse.all?.ndcg10).toBeCloseTo(1 / Math.log2(4), 12)
    expect(sparse.byKind.entity?.ndcg10).toBeCloseTo(1 / Math.log2(4), 12)
    expect(dense.serviceP50Ms).toBe(3)
    expect(calls.deleted).toEqual(['eval_t'])
  })

  it('reports a mode the service refuses, measures the others, and removes the collection', async () => {
    const { client, calls } = fakeService((r) => r.rerank !== undefined)
    const run = await runEval(client, set, { collection: 'eval_t' })
    const rerank = run.modes.find((m) => m.request.rerank)!
    expect(rerank.all).toBeNull()
    expect(rerank.error).toMatch(/503/)
    expect(run.modes.filter((m) => m.all !== null)).toHaveLength(run.modes.length - 1)
    expect(renderEval(run)).toMatch(/rerank top 50: not measured — .*503/)
    expect(calls.deleted).toEqual(['eval_t'])
  })

  it('removes the collection when the ingest fails', async () => {
    const { client, calls } = fakeService()
    client.ingest = async () => {
      throw new RouteError('POST documents', 503, 'embeddings server down')
    }
    await expect(runEval(client, set, { collection: 'eval_t' })).rejects.toThrow(/503/)
    expect(calls.deleted).toEqual(['eval_t'])
  })
})
