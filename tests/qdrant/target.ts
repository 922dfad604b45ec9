/**
 * Where the Qdrant tests run: the Qdrant double (tools/qdrant-double), started in this process on a
 * free port, or a real Qdrant when QDRANT_URL is set (`QDRANT_URL=http://127.0.0.1:6333 npx vitest
 * run tests/qdrant`; QDRANT_API_KEY if it wants one). Tests that read the double's request log run
 * on the double only.
 */
import {
  createQdrantStore,
  type QdrantStoreOptions,
} from '../../services/vector-search/adapters/qdrant-store.ts'
import {
  type QdrantDouble,
  type QdrantDoubleOptions,
  startQdrantDouble,
} from '../../tools/qdrant-double/server.ts'

export const REAL_QDRANT_URL = process.env.QDRANT_URL || undefined
const REAL_QDRANT_KEY = process.env.QDRANT_API_KEY || undefined

export interface QdrantTarget {
  url: string
  apiKey?: string
  double?: QdrantDouble
  close(): Promise<void>
}

export async function openTarget(options: QdrantDoubleOptions = {}): Promise<QdrantTarget> {
  if (REAL_QDRANT_URL) return { url: REAL_QDRANT_URL, apiKey: REAL_QDRANT_KEY, close: async () => undefined }
  const double = await startQdrantDouble(options)
  return { url: double.url, double, close: () => double.close() }
}

export function storeFor(target: QdrantTarget, extra: Partial<QdrantStoreOptions> = {}) {
  return createQdrantStore({ url: target.url, apiKey: target.apiKey, timeoutMs: 10_000, ...extra })
}
