/**
 * Qdrant leaves the order of equal scores open (the double answers them in reverse id order on
 * purpose): the adapter orders them by id, across the page edge too.
 */
import { afterEach, expect, it } from 'vitest'
import { uuid } from '../../services/vector-search/domain/store/contract-cases.ts'
import {
  collectionSpec,
  ids,
  point,
  querySpec,
} from '../../services/vector-search/domain/store/contract-suite.ts'
import { type QdrantDouble, startQdrantDouble } from '../../tools/qdrant-double/server.ts'
import { storeFor } from './target.ts'

let double: QdrantDouble | undefined
afterEach(() => double?.close())

it('orders equal scores by id, fetching past the page edge when the tie crosses it', async () => {
  double = await startQdrantDouble()
  const store = storeFor({ url: double.url, close: async () => undefined })
  await store.createCollection(collectionSpec('ties'))
  // Six points with the same dense vector: all tie.
  await store.upsert(
    { collection: 'ties' },
    [6, 3, 5, 1, 4, 2].map((n) => point(n, [1, 0, 0, 0], [])),
  )
  const page = await store.query(
    { collection: 'ties' },
    querySpec({ dense: [1, 0, 0, 0], limit: 2, offset: 1 }),
  )
  expect(ids(page)).toEqual([uuid(2), uuid(3)])
  const first = await store.query({ collection: 'ties' }, querySpec({ dense: [1, 0, 0, 0], limit: 3 }))
  expect(ids(first)).toEqual([uuid(1), uuid(2), uuid(3)])
})
