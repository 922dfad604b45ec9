/**
 * What vector-search serves: nothing yet. The gateway already routes `/v1/embeddings`, `/v1/rerank`
 * and `/api/search*` here; they answer 501 until their issue builds them and moves each route to
 * `built` (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'

export const VECTOR_CAPABILITIES = [
  {
    name: 'embeddings',
    title: 'Embeddings',
    needs: ['embeddings'],
    // `/api/search/embed` is the dense + sparse form of the same thing.
    built: ['POST /v1/embeddings', 'POST /api/search/embed'],
    planned: [],
  },
  {
    name: 'rerank',
    title: 'Rerank',
    needs: ['embeddings'],
    built: ['POST /v1/rerank'],
    planned: [],
  },
  {
    name: 'search',
    title: 'Search',
    needs: ['embeddings', 'qdrant'],
    built: [
      'POST /api/search/collections/:name/documents',
      'DELETE /api/search/collections/:name/documents/:doc_id',
      'POST /api/search/collections/:name/documents/delete',
      'GET /api/search/jobs/:id',
    ],
    // The earlier `/api/search`, and the new routes under it still to be built.
    planned: [
      'ALL /api/search',
      'GET /api/search/collections',
      'POST /api/search/collections',
      'GET /api/search/collections/:name',
      'DELETE /api/search/collections/:name',
      'POST /api/search/collections/:name/query',
    ],
  },
] as const satisfies readonly Capability[]
