/**
 * The Qdrant double answers in Qdrant's shapes: every endpoint it serves, and its errors, validate
 * against the response schemas written from Qdrant's OpenAPI document (tools/qdrant-double/schemas.ts),
 * with the statuses Qdrant uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { responses } from '../../tools/qdrant-double/schemas.ts'
import { type QdrantDouble, startQdrantDouble } from '../../tools/qdrant-double/server.ts'

let double: QdrantDouble
beforeAll(async () => {
  double = await startQdrantDouble({ maxRequestBytes: 4096 })
})
afterAll(() => double.close())

const ID = '5c56c793-69f3-4fbf-87e6-c4bf54c28c26'

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${double.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  }
}

async function expectShape<T extends z.ZodType>(schema: T, method: string, path: string, body?: unknown) {
  const res = await call(method, path, body)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const parsed = schema.safeParse(res.body)
  expect(parsed.error?.issues ?? []).toEqual([])
  return parsed.data as z.infer<T>
}

async function expectError(status: number, method: string, path: string, body?: unknown) {
  const res = await call(method, path, body)
  expect(res.status).toBe(status)
  expect(responses.error.safeParse(res.body).success).toBe(true)
  return (res.body as { status: { error: string } }).status.error
}

describe('Qdrant double: shapes from the OpenAPI document', () => {
  it('serves GET / (version info, no envelope) and the health routes as text', async () => {
    expect((await expectShape(responses.root, 'GET', '/')).version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(await call('GET', '/readyz')).toEqual({ status: 200, body: 'all shards are ready' })
  })

  it('creates, describes, lists and deletes a collection', async () => {
    const create = {
      vectors: { dense: { size: 3, distance: 'Cosine' } },
      sparse_vectors: { sparse: { modifier: 'idf' } },
    }
    expect((await expectShape(responses.bool, 'PUT', '/collections/shapes', create)).result).toBe(true)
    await expectShape(responses.update, 'PUT', '/collections/shapes/index?wait=true', {
      field_name: 'tenant',
      field_schema: { type: 'keyword', is_tenant: true },
    })
    await expectShape(responses.update, 'PUT', '/collections/shapes/index?wait=true', {
      field_name: 'doc',
      field_schema: 'keyword',
    })
    const info = await expectShape(responses.collectionInfo, 'GET', '/collections/shapes')
    expect(info.result.config.params.vectors).toEqual({ dense: { size: 3, distance: 'Cosine' } })
    expect(info.result.config.params.sparse_vectors).toEqual({ sparse: { modifier: 'idf' } })
    expect(info.result.payload_schema.tenant?.params).toEqual({ type: 'keyword', is_tenant: true })
    const list = await expectShape(responses.collections, 'GET', '/collections')
    expect(list.result.collections).toContainEqual({ name: 'shapes' })
    expect(await expectError(409, 'PUT', '/collections/shapes', create)).toBe(
      'Wrong input: Collection `shapes` already exists!',
    )
  })

  it('writes, reads, counts, queries and deletes points', async () => {
    const point = {
      id: ID,
      vector: { dense: [1, 0, 0], sparse: { indices: [1, 5], values: [0.5, 0.2] } },
      payload: { doc: 'a' },
    }
    const up = await expectShape(responses.update, 'PUT', '/collections/shapes/points?wait=true', {
      points: [point],
    })
    expect(up.result.status).toBe('completed')
    const scroll = await expectShape(responses.scroll, 'POST', '/collections/shapes/points/scroll', {
      limit: 5,
    })
    expect(scroll.result.points).toEqual([{ id: ID, payload: { doc: 'a' } }])
    await expectShape(responses.count, 'POST', '/collections/shapes/points/count', { exact: true })
    const q = await expectShape(responses.query, 'POST', '/collections/shapes/points/query', {
      prefetch: [
        { query: [1, 0, 0], using: 'dense', limit: 10 },
        { query: { indices: [1], values: [1] }, using: 'sparse', limit: 10 },
      ],
      query: { rrf: { k: 60 } },
      filter: { must: [{ key: 'doc', match: { value: 'a' } }] },
      with_payload: true,
    })
    expect(q.result.points[0]).toMatchObject({
      id: ID,
      score: expect.closeTo(2 / 60, 6),
      payload: { doc: 'a' },
    })
    await expectShape(responses.batch, 'POST', '/collections/shapes/points/batch?wait=true', {
      operations: [{ upsert: { points: [point] } }, { delete: { filter: { must: [{ has_id: [ID] }] } } }],
    })
    await expectShape(responses.update, 'POST', '/collections/shapes/points/delete?wait=true', {
      points: [ID],
    })
    expect((await expectShape(responses.bool, 'DELETE', '/collections/shapes')).result).toBe(true)
  })

  it("answers Qdrant's errors: 404 for a missing collection, 400 for a wrong vector or an oversize body", async () => {
    expect(await expectError(404, 'POST', '/collections/none/points/count', {})).toBe(
      "Not found: Collection `none` doesn't exist!",
    )
    await expectShape(responses.bool, 'PUT', '/collections/errs', {
      vectors: { dense: { size: 3, distance: 'Dot' } },
    })
    expect(
      await expectError(400, 'PUT', '/collections/errs/points', {
        points: [{ id: 1, vector: { dense: [1, 2] } }],
      }),
    ).toBe('Wrong input: Vector dimension error: expected dim: 3, got 2')
    expect(
      await expectError(400, 'POST', '/collections/errs/points/scroll', { filter: { must: [{ bogus: 1 }] } }),
    ).toMatch(/^Format error in JSON body/)
    const big = { points: [{ id: 2, vector: { dense: [1, 2, 3] }, payload: { text: 'x'.repeat(5000) } }] }
    expect(await expectError(400, 'PUT', '/collections/errs/points', big)).toMatch(
      /larger than allowed \(limit: 4096 bytes\)/,
    )
  })
})
