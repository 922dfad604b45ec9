/** `POST /api/search/collections/{name}/query`: hybrid, dense or sparse search of one collection. */
import { createRoute } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { tenantFrom } from '../domain/query/caller.ts'
import { checkCollectionName } from '../domain/query/collection-spec.ts'
import { mapped } from '../domain/query/errors.ts'
import { type QueryDeps, runQuery } from '../domain/query/run.ts'
import { nameParam, problem, QueryRequest, QueryResponse, tenantHeader } from './collections-schemas.ts'

const queryRoute = createRoute({
  method: 'post',
  path: '/api/search/collections/{name}/query',
  tags: ['search'],
  summary:
    'Hybrid (dense + sparse, filtered in each leg, RRF or DBSF), dense or sparse search; optional rerank',
  request: { params: nameParam, headers: tenantHeader, body: jsonBody(QueryRequest) },
  responses: {
    200: jsonContent('Hits, best first, with scores and the time each stage took', QueryResponse),
    400: problem('Bad name, filter (bad_filter), vector (bad_vector) or X-Tenant (tenant_required)'),
    404: problem('No such collection'),
    422: problem('Invalid body; the failing fields are named'),
    503: problem('The embeddings server, reranker or vector store is not reachable; see Retry-After'),
    504: problem('The embeddings server or the vector store did not answer in time'),
  },
})

export function queryRoutes(deps: QueryDeps): ServiceApp {
  const app = createRouter()
  app.openapi(queryRoute, async (c) => {
    const collection = checkCollectionName(c.req.valid('param').name)
    const tenant = tenantFrom((n) => c.req.header(n))
    const scope = tenant ? { collection, tenant } : { collection }
    const answer = await mapped(() => runQuery(deps, scope, c.req.valid('json'), c.req.raw.signal))
    return c.json(answer, 200)
  })
  return app
}
