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
    built: [],
    planned: ['POST /v1/embeddings'],
  },
  {
    name: 'rerank',
    title: 'Rerank',
    needs: ['embeddings'],
    built: [],
    planned: ['POST /v1/rerank'],
  },
  {
    name: 'search',
    title: 'Search',
    needs: ['embeddings', 'qdrant'],
    built: [],
    // The earlier `/api/search`, and every new route under it (collections, documents, …).
    planned: ['ALL /api/search', 'ALL /api/search/*'],
  },
] as const satisfies readonly Capability[]
