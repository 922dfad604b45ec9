/** The vector-search app with the documents routes over a counted store and a counting embedder. */
import { silentLogger } from '../../../shared/logger.ts'
import { startQdrantDouble } from '../../../tools/qdrant-double/server.ts'
import { openEmbeddedStore } from '../adapters/embedded-store.ts'
import { createQdrantStore } from '../adapters/qdrant-store.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'
import type { CollectionSpec, VectorStore } from '../domain/store/ports.ts'
import { countingEmbedder, countingStore, createMemoryStore } from './documents-doubles.ts'

/**
 * `backing`: the in-memory double (default), the embedded store on an in-memory SQLite database, or
 * the Qdrant store against the Qdrant double (tools/qdrant-double), so the behaviour is checked on both
 * real stores.
 */
export async function documentsApp(
  env: Record<string, string> = {},
  collections: Partial<CollectionSpec>[] = [],
  backing: Backing = 'memory',
) {
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded', ...env })
  const memory = createMemoryStore()
  const { store: inner, stop } =
    backing === 'memory' ? { store: memory, stop: async () => {} } : await realStore(backing)
  for (const c of collections)
    await inner.createCollection({
      name: 'notes',
      dense: { size: 8, distance: 'Cosine' },
      sparse: { idf: false },
      indexes: [],
      ...c,
    })
  const counted = countingStore(inner)
  const embed = countingEmbedder(8)
  const shutdown = new AbortController()
  const app = buildApp({
    config,
    logger: silentLogger(),
    upstreams: createVectorUpstreams(config),
    store: counted.store,
    embedder: embed.embedder,
    shutdown: shutdown.signal,
  })
  /** Every stored point of the collection (of one tenant when given), in id order. */
  const stored = async (name = 'notes', tenant?: string) =>
    (await inner.scroll({ collection: name, tenant }, {}, 100_000)).sort((a, b) => (a.id < b.id ? -1 : 1))
  const close = async () => {
    shutdown.abort()
    await inner.close()
    await stop()
  }
  return { app, memory, counted, embed, stored, close }
}

export type Backing = 'memory' | 'embedded' | 'qdrant'

async function realStore(
  backing: 'embedded' | 'qdrant',
): Promise<{ store: VectorStore; stop: () => Promise<void> }> {
  if (backing === 'embedded')
    return { store: await openEmbeddedStore({ path: ':memory:' }), stop: async () => {} }
  const double = await startQdrantDouble()
  return { store: createQdrantStore({ url: double.url, timeoutMs: 10_000 }), stop: () => double.close() }
}

export type DocumentsApp = Awaited<ReturnType<typeof documentsApp>>

/** A JSON request to the app, with `X-Tenant` when given. */
export function send(t: DocumentsApp, method: string, path: string, body?: unknown, tenant?: string) {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (tenant !== undefined) headers['x-tenant'] = tenant
  return t.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}
