/**
 * Which vector store the service uses: Qdrant when config resolved a QDRANT_URL (VECTOR_STORE=auto
 * with QDRANT_URL or SPARK2_HOST set, or VECTOR_STORE=qdrant), else the embedded store in
 * VECTOR_DB. The embedded store opens asynchronously (the SQLite driver is a dynamic import) while
 * `buildApp` is synchronous, so calls wait for the opening; a file that cannot be opened answers
 * every call with `unavailable` (and `/ready` says so) instead of stopping the service.
 */

import type { OutcomeSink } from '../../../shared/outcomes/reporter.ts'
import type { VectorConfig } from '../config.ts'
import type { CollectionSpec, Filter, Point, QuerySpec, Scope, VectorStore } from '../domain/store/ports.ts'
import { StoreError } from '../domain/store/ports.ts'
import { openEmbeddedStore } from './embedded-store.ts'
import { createQdrantStore } from './qdrant-store.ts'

export type StoreConfig = Pick<
  VectorConfig,
  | 'QDRANT_URL'
  | 'QDRANT_API_KEY'
  | 'QDRANT_TIMEOUT_MS'
  | 'VECTOR_DB'
  | 'INGEST_STORE_BATCH'
  | 'INGEST_STORE_BATCH_BYTES'
>

export function selectStore(
  config: StoreConfig,
  shutdown?: AbortSignal,
  outcomes?: OutcomeSink,
): VectorStore {
  const store = config.QDRANT_URL
    ? createQdrantStore({
        url: config.QDRANT_URL,
        outcomes,
        apiKey: config.QDRANT_API_KEY?.reveal(),
        timeoutMs: config.QDRANT_TIMEOUT_MS,
        // The same per-request limits ingestion batches by; the store re-splits any larger write.
        batch: { maxPoints: config.INGEST_STORE_BATCH, maxBytes: config.INGEST_STORE_BATCH_BYTES },
      })
    : deferred(openEmbeddedStore({ path: config.VECTOR_DB }))
  shutdown?.addEventListener('abort', () => void store.close().catch(() => undefined), { once: true })
  return store
}

/** A store whose every call first waits for it to open. */
export function deferred(opening: Promise<VectorStore>): VectorStore {
  const ready = opening.catch((err: unknown) => {
    throw new StoreError('unavailable', `embedded store: ${(err as Error).message}`.slice(0, 300))
  })
  // A failed opening is reported by each call; no rejection may go unobserved meanwhile.
  ready.catch(() => undefined)
  return {
    kind: 'embedded',
    createCollection: (spec: CollectionSpec, signal) => ready.then((s) => s.createCollection(spec, signal)),
    listCollections: (tenant, signal) => ready.then((s) => s.listCollections(tenant, signal)),
    getCollection: (name, tenant, signal) => ready.then((s) => s.getCollection(name, tenant, signal)),
    deleteCollection: (name, signal) => ready.then((s) => s.deleteCollection(name, signal)),
    upsert: (scope: Scope, points: Point[], signal) => ready.then((s) => s.upsert(scope, points, signal)),
    replace: (scope, remove: Filter, points, signal) =>
      ready.then((s) => s.replace(scope, remove, points, signal)),
    deleteWhere: (scope, filter, signal) => ready.then((s) => s.deleteWhere(scope, filter, signal)),
    scroll: (scope, filter, limit, signal) => ready.then((s) => s.scroll(scope, filter, limit, signal)),
    query: (scope, spec: QuerySpec, signal) => ready.then((s) => s.query(scope, spec, signal)),
    close: () =>
      opening.then(
        (s) => s.close(),
        () => undefined,
      ),
  }
}
