/**
 * What vector-search serves: embeddings and rerank (they need the bge-m3 server), collections,
 * documents and queries (they need the store in use: the embedded one or Qdrant), and the earlier
 * `/api/search` (it needs Qdrant: it searches the clients' own Qdrant collections). `/ready`,
 * discovery and the dashboard read each capability's state from here (shared/capabilities.ts).
 */
import type { Capability } from '../../shared/capabilities.ts'
import { EMBEDDED_STORE } from './domain/query/store-check.ts'

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
      'GET /api/search/collections',
      'POST /api/search/collections',
      'GET /api/search/collections/:name',
      'DELETE /api/search/collections/:name',
      'POST /api/search/collections/:name/query',
    ],
    planned: [],
  },
  {
    // The earlier `/api/search` searches the clients' own Qdrant collections: Qdrant only, whatever the store.
    name: 'search_earlier',
    title: 'Search (earlier /api/search)',
    needs: ['embeddings', 'qdrant'],
    built: ['POST /api/search'],
    planned: [],
  },
] as const satisfies readonly Capability[]

/**
 * The capabilities as this process runs them: the search capability needs the store in use — the
 * embedded store is a local dependency (EMBEDDED_STORE), not the Qdrant upstream.
 */
export function vectorCapabilities(store: 'qdrant' | 'embedded' | undefined): readonly Capability[] {
  if (store !== 'embedded') return VECTOR_CAPABILITIES
  return VECTOR_CAPABILITIES.map((c) =>
    c.name === 'search' ? { ...c, needs: ['embeddings', EMBEDDED_STORE] } : c,
  )
}
