/**
 * The collection and tenant a documents or jobs call acts in: a name outside the earlier whitelist
 * is a 400 before the store is asked, an unknown collection a 404, and a collection with a tenant
 * field needs `X-Tenant` (400 `tenant_required`). The tenant of a collection without one is ignored.
 */
import { COLLECTION_NAME } from '../../../shared/contracts/vector-search.ts'
import { badRequest, notFound } from '../../../shared/errors.ts'
import { invalid, mapped } from '../domain/query/errors.ts'
import type { CollectionInfo, Scope, VectorStore } from '../domain/store/ports.ts'

export async function collectionScope(
  store: VectorStore,
  name: string,
  /** The request's `X-Tenant` (domain/query/caller.ts `tenantFrom`). */
  tenant: string | undefined,
  signal?: AbortSignal,
): Promise<{ scope: Scope; collection: CollectionInfo }> {
  if (!COLLECTION_NAME.test(name)) throw badRequest('Collection names match ^[A-Za-z0-9_-]{1,64}$.')
  const collection = await mapped(() => store.getCollection(name, undefined, signal))
  if (!collection) throw notFound(`No collection ${name}.`)
  if (!collection.tenantField) return { scope: { collection: name }, collection }
  if (tenant === undefined)
    throw invalid('tenant_required', `Collection ${name} is per tenant: send the X-Tenant header.`)
  return { scope: { collection: name, tenant }, collection }
}
