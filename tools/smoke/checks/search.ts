/**
 * search: a throw-away collection (`smoke_<random>`) through vector-search's own routes — create,
 * ingest two documents, a hybrid query that should find one of them first — and then deleted
 * again, also when a step failed. A collection that cannot be deleted fails the check: it would be
 * left on the installation.
 */
import { randomBytes } from 'node:crypto'
import { type Check, type CheckContext, CheckFailed, fail } from '../check.ts'

const TARGET = {
  id: 'smoke-target',
  text: 'The lighthouse keeper feeds seventeen orange cats every Tuesday morning.',
}
const DISTRACTOR = { id: 'smoke-other', text: 'Quarterly invoices are due at the end of the month.' }
const QUERY = 'who feeds the orange cats at the lighthouse'

interface QueryAnswer {
  results?: { payload?: { doc_id?: unknown; text?: unknown } }[]
}

export const searchCheck: Check = {
  name: 'search',
  needs: ['embeddings'],
  async run(ctx) {
    const name = `smoke_${randomBytes(4).toString('hex')}`
    let outcome: string | CheckFailed
    try {
      outcome = await createSearchDrop(ctx, name)
    } catch (err) {
      if (!(err instanceof CheckFailed)) throw err
      outcome = err
    }
    const leftBehind = await dropCollection(ctx, name)
    if (outcome instanceof CheckFailed)
      fail(leftBehind ? `${outcome.message}; and ${leftBehind}` : outcome.message)
    if (leftBehind) fail(`search worked, but ${leftBehind}`)
    return outcome as string
  },
}

async function createSearchDrop(ctx: CheckContext, name: string): Promise<string> {
  const dimension = ctx.facts.embeddingDimension
  await ctx.client.request('/api/search/collections', {
    json: { name, ...(dimension ? { dense: { size: dimension } } : {}) },
  })
  await ctx.client.request(`/api/search/collections/${name}/documents`, {
    json: { documents: [TARGET, DISTRACTOR] },
  })
  const answer = await ctx.client.request(`/api/search/collections/${name}/query`, {
    json: { query: QUERY, limit: 2 },
  })
  return `${searchVerdict(answer.json<QueryAnswer>(), TARGET.id)} (collection ${name}, deleted)`
}

/** A reason the collection stayed, or null once it is gone (404: it was never made). */
async function dropCollection(ctx: CheckContext, name: string): Promise<string | null> {
  try {
    await ctx.client.request(`/api/search/collections/${name}?confirm=${name}`, { method: 'DELETE' })
    return null
  } catch (err) {
    if (!(err instanceof CheckFailed)) throw err
    if (/ answered 404 /.test(err.message)) return null
    return `the throw-away collection ${name} could not be deleted (${err.message})`
  }
}

/** "the ingested text was the first hit"; fails when the query did not find it first. */
export function searchVerdict(body: QueryAnswer, docId: string): string {
  const results = Array.isArray(body.results) ? body.results : []
  if (results.length === 0) fail('the query found nothing in the collection just ingested')
  const first = results[0]?.payload?.doc_id
  if (first !== docId) {
    const at = results.findIndex((r) => r.payload?.doc_id === docId)
    fail(
      at < 0
        ? `the query did not find the ingested text (hits: ${results.map((r) => String(r.payload?.doc_id)).join(', ')})`
        : `the ingested text was hit ${at + 1} of ${results.length}, not the first`,
    )
  }
  return 'the ingested text was the first hit'
}
