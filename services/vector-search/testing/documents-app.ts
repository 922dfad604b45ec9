/** The vector-search app with the documents routes over the in-memory store and a counting embedder. */
import { silentLogger } from '../../../shared/logger.ts'
import { createVectorUpstreams } from '../adapters/upstreams.ts'
import { buildApp } from '../app.ts'
import { loadVectorConfig } from '../config.ts'
import type { CollectionSpec } from '../domain/store/ports.ts'
import { countingEmbedder, countingStore, createMemoryStore } from './documents-doubles.ts'

export async function documentsApp(
  env: Record<string, string> = {},
  collections: Partial<CollectionSpec>[] = [],
) {
  const config = loadVectorConfig({ VECTOR_STORE: 'embedded', ...env })
  const memory = createMemoryStore()
  for (const c of collections)
    await memory.createCollection({
      name: 'notes',
      dense: { size: 8, distance: 'Cosine' },
      sparse: { idf: false },
      indexes: [],
      ...c,
    })
  const counted = countingStore(memory)
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
  return { app, memory, counted, embed, close: () => shutdown.abort() }
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
