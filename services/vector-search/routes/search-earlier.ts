/**
 * The earlier `POST /api/search` (FastAPI-style `{"detail": ...}` errors): a hybrid proxy to Qdrant
 * over collections the clients build themselves. With only the embedded store it answers 503 saying
 * so, and the `search-earlier` capability reports Qdrant as not configured.
 */
import { createRoute } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { type EarlierDeps, earlierSearch } from '../domain/query/earlier.ts'
import { mapped } from '../domain/query/errors.ts'
import { detail, EarlierSearchRequest, EarlierSearchResponse } from './collections-schemas.ts'

const searchRoute = createRoute({
  method: 'post',
  path: '/api/search',
  tags: ['search'],
  summary: "Hybrid search of a client's own Qdrant collection (our dense vectors, its BM25 sparse vectors)",
  request: { body: jsonBody(EarlierSearchRequest) },
  responses: {
    200: jsonContent('Hits, best first (RRF when both vectors are given)', EarlierSearchResponse),
    400: detail('Bad collection name, vector, or a search Qdrant refused'),
    404: detail('No such collection in Qdrant'),
    422: detail('Invalid body'),
    503: detail('Qdrant or the embeddings server is not reachable, or Qdrant is not configured'),
    504: detail('Qdrant or the embeddings server did not answer in time'),
  },
})

export function earlierSearchRoutes(deps: EarlierDeps): ServiceApp {
  const app = createRouter()
  app.openapi(searchRoute, async (c) =>
    c.json(await mapped(() => earlierSearch(deps, c.req.valid('json'), c.req.raw.signal)), 200),
  )
  return app
}
