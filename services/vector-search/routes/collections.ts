/**
 * Collections: create (named dense and sparse vectors, payload indexes, an optional tenant field),
 * list with counts, read one, delete. Deleting drops every point of every tenant, so it must be
 * confirmed by naming the collection again (`?confirm=<name>`) and is written to the audit log
 * line (`audit: collection.delete`) with the actor, the request id, the points it held and the outcome.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { notFound } from '../../../shared/errors.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom, tenantFrom } from '../domain/query/caller.ts'
import { checkCollectionName, collectionSpec, collectionView } from '../domain/query/collection-spec.ts'
import { invalid, mapped } from '../domain/query/errors.ts'
import type { CollectionSpecs } from '../domain/query/specs.ts'
import type { VectorStore } from '../domain/store/ports.ts'
import {
  CollectionInfo,
  CollectionList,
  CreateCollectionRequest,
  DeletedCollection,
  nameParam,
  problem,
  tenantHeader,
} from './collections-schemas.ts'

export interface CollectionRouteDeps {
  store: VectorStore
  specs: CollectionSpecs
}

const tags = ['search']

const createCollection = createRoute({
  method: 'post',
  path: '/api/search/collections',
  tags,
  summary:
    'Create a collection: dense vector `dense` (size, distance), sparse vector `sparse` (idf), indexes',
  request: { body: jsonBody(CreateCollectionRequest) },
  responses: {
    201: jsonContent('Created', CollectionInfo),
    400: problem('Bad collection name (`^[A-Za-z0-9_-]{1,64}$`) or payload field name'),
    409: problem('A collection of that name exists'),
    422: problem('Invalid body; the failing fields are named'),
    503: problem('The vector store is not reachable; see Retry-After'),
  },
})

const listCollections = createRoute({
  method: 'get',
  path: '/api/search/collections',
  tags,
  summary: "Every collection with its point count (a per-tenant collection's: the X-Tenant's, else null)",
  request: { headers: tenantHeader },
  responses: {
    200: jsonContent('Collections', CollectionList),
    503: problem('The vector store is not reachable; see Retry-After'),
  },
})

const getCollection = createRoute({
  method: 'get',
  path: '/api/search/collections/{name}',
  tags,
  summary: 'One collection and its point count',
  request: { params: nameParam, headers: tenantHeader },
  responses: {
    200: jsonContent('The collection', CollectionInfo),
    400: problem('Bad name, or X-Tenant missing on a per-tenant collection'),
    404: problem('No such collection'),
  },
})

const deleteCollection = createRoute({
  method: 'delete',
  path: '/api/search/collections/{name}',
  tags,
  summary: 'Delete a collection and all its points (every tenant); confirm with ?confirm=<name>',
  request: {
    params: nameParam,
    query: z.object({
      confirm: z.string().max(300).optional().openapi({ description: 'The collection name again.' }),
    }),
  },
  responses: {
    200: jsonContent('Deleted', DeletedCollection),
    400: problem('Bad name, confirm missing or not the name, or sent with X-Tenant'),
    404: problem('No such collection'),
  },
})

export function collectionRoutes({ store, specs }: CollectionRouteDeps): ServiceApp {
  const app = createRouter()
  const header = (c: { req: { header(n: string): string | undefined } }) => (n: string) => c.req.header(n)

  app.openapi(createCollection, async (c) => {
    const spec = collectionSpec(c.req.valid('json'))
    await audited(c, 'collection.create', spec.name, async () => {
      await mapped(() => store.createCollection(spec, c.req.raw.signal))
      return { outcome: 'ok' }
    })
    specs.forget(spec.name)
    return c.json(collectionView({ ...spec, points: 0 }, undefined), 201)
  })

  app.openapi(listCollections, async (c) => {
    const tenant = tenantFrom(header(c))
    const list = await mapped(() => store.listCollections(tenant, c.req.raw.signal))
    return c.json({ store: store.kind, collections: list.map((info) => collectionView(info, tenant)) }, 200)
  })

  app.openapi(getCollection, async (c) => {
    const name = checkCollectionName(c.req.valid('param').name)
    const tenant = tenantFrom(header(c))
    const info = await mapped(() => store.getCollection(name, tenant, c.req.raw.signal))
    if (!info) throw missing(name)
    if (info.tenantField && !tenant)
      throw invalid('tenant_required', `Collection ${name} is per tenant: send the X-Tenant header.`)
    return c.json(collectionView(info, tenant), 200)
  })

  app.openapi(deleteCollection, async (c) => {
    const name = checkCollectionName(c.req.valid('param').name)
    if (c.req.valid('query').confirm !== name)
      throw invalid(
        'confirm_required',
        `Deleting drops every point of ${name}: repeat its name as ?confirm=${name}.`,
      )
    if (tenantFrom(header(c)))
      throw invalid(
        'tenant_scoped',
        'Deleting a collection deletes every tenant’s points; send it without X-Tenant.',
      )
    const deleted = await audited(c, 'collection.delete', name, async () => {
      const info = await mapped(() => store.getCollection(name, undefined, c.req.raw.signal))
      const gone = info ? await mapped(() => store.deleteCollection(name, c.req.raw.signal)) : false
      return gone
        ? { gone, outcome: 'ok', detail: `held ${info?.points ?? 0} points` }
        : { gone, outcome: 'refused', detail: 'no such collection' }
    })
    specs.forget(name)
    if (!deleted.gone) throw missing(name)
    return c.json({ name, deleted: true as const }, 200)
  })
  return app
}

const missing = (name: string) => notFound(`No collection ${name}.`)

interface AuditContext {
  req: { header(n: string): string | undefined }
  var: { requestId?: string; log: { info(o: object, m: string): void } }
}

/** Runs a mutation and writes one audit line with who, what and how it ended (also when it fails). */
async function audited<T extends { outcome: string; detail?: string }>(
  c: AuditContext,
  action: string,
  target: string,
  work: () => Promise<T>,
): Promise<T> {
  const base = { action, target, actor: actorFrom((n) => c.req.header(n)), request_id: c.var.requestId }
  try {
    const result = await work()
    const { outcome, detail } = result
    c.var.log.info({ audit: { ...base, outcome, ...(detail ? { detail } : {}) } }, 'audit')
    return result
  } catch (err) {
    c.var.log.info(
      { audit: { ...base, outcome: 'failed', detail: (err as Error).message?.slice(0, 200) } },
      'audit',
    )
    throw err
  }
}
