import { describe, expect, it } from 'vitest'
import type { CheckContext } from '../check.ts'
import { fakeClient, type Reply } from '../testing/fake-client.ts'
import { searchCheck, searchVerdict } from './search.ts'

const hit = (doc_id: string) => ({ payload: { doc_id, text: '…' } })

function contextWith(routes: Record<string, Reply>) {
  const client = fakeClient({
    'POST /api/search/collections': { status: 201, json: {} },
    'POST /api/search/collections/*/documents': { json: {} },
    'DELETE /api/search/collections/*': { json: { deleted: true } },
    ...routes,
  })
  // The collection's name is random: route every name to the same replies.
  const request = client.request
  const paths: string[] = []
  client.request = (path, init) => {
    paths.push(path)
    return request(path.replace(/smoke_[0-9a-f]{8}/g, '*'), init)
  }
  const ctx: CheckContext = {
    client,
    endpoints: null,
    audio: async () => '',
    facts: { embeddingDimension: 8 },
  }
  return { ctx, client, paths }
}

describe('search verdict', () => {
  it('takes the ingested text as the first hit', () => {
    expect(searchVerdict({ results: [hit('smoke-target'), hit('smoke-other')] }, 'smoke-target')).toBe(
      'the ingested text was the first hit',
    )
  })

  it('fails when nothing is found, the text is not first, or it is missing', () => {
    expect(() => searchVerdict({ results: [] }, 'smoke-target')).toThrow('the query found nothing')
    expect(() =>
      searchVerdict({ results: [hit('smoke-other'), hit('smoke-target')] }, 'smoke-target'),
    ).toThrow('the ingested text was hit 2 of 2, not the first')
    expect(() => searchVerdict({ results: [hit('smoke-other')] }, 'smoke-target')).toThrow(
      'the query did not find the ingested text (hits: smoke-other)',
    )
  })
})

describe('search check', () => {
  it('creates a collection of the measured width, ingests, queries, then deletes it', async () => {
    const { ctx, client, paths } = contextWith({
      'POST /api/search/collections/*/query': { json: { results: [hit('smoke-target')] } },
    })
    await expect(searchCheck.run(ctx)).resolves.toMatch(/first hit \(collection smoke_[0-9a-f]{8}, deleted\)/)
    const name = (client.bodies[0] as { name: string }).name
    expect(paths.at(-1)).toBe(`/api/search/collections/${name}?confirm=${name}`)
    expect(client.asked).toEqual([
      'POST /api/search/collections',
      'POST /api/search/collections/*/documents',
      'POST /api/search/collections/*/query',
      'DELETE /api/search/collections/*?confirm=*',
    ])
    expect(client.bodies[0]).toMatchObject({ dense: { size: 8 } })
  })

  it('deletes the collection when a step fails, and says why the step failed', async () => {
    const { ctx, client } = contextWith({
      'POST /api/search/collections/*/query': { fail: 'POST /api/search/collections/x/query answered 503' },
    })
    await expect(searchCheck.run(ctx)).rejects.toThrow('POST /api/search/collections/x/query answered 503')
    expect(client.asked.at(-1)).toBe('DELETE /api/search/collections/*?confirm=*')
  })

  it('fails when the throw-away collection cannot be deleted, naming it', async () => {
    const { ctx } = contextWith({
      'POST /api/search/collections/*/query': { json: { results: [hit('smoke-target')] } },
      'DELETE /api/search/collections/*': { fail: 'DELETE … answered 403 Forbidden: needs the admin scope' },
    })
    await expect(searchCheck.run(ctx)).rejects.toThrow(
      /search worked, but the throw-away collection smoke_\w+ could not be deleted \(.*403 Forbidden/,
    )
  })
})
