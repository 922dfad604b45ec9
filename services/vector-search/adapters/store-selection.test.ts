import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadVectorConfig } from '../config.ts'
import { collectionSpec } from '../domain/store/contract-suite.ts'
import { StoreError } from '../domain/store/ports.ts'
import { selectStore } from './store-selection.ts'

describe('selectStore', () => {
  it('opens the embedded store in VECTOR_DB (default <DATA_DIR>/vectors.db) when no Qdrant is configured', async () => {
    const root = await mkdtemp(join(tmpdir(), 'store-selection-'))
    try {
      const config = loadVectorConfig({
        DATA_DIR: root,
        VECTOR_STORE: 'embedded',
        SPARK2_HOST: 'spark-2.test',
      })
      expect(config.VECTOR_DB).toBe(join(root, 'vectors.db'))
      const store = selectStore(config)
      expect(store.kind).toBe('embedded')
      await store.createCollection(collectionSpec('docs'))
      expect((await store.listCollections()).map((c) => c.name)).toEqual(['docs'])
      await store.close()
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('uses Qdrant when config resolved its URL', () => {
    const config = loadVectorConfig({ QDRANT_URL: 'http://127.0.0.1:6333' })
    expect(selectStore(config).kind).toBe('qdrant')
  })

  it('answers every call with unavailable when the file cannot be opened', async () => {
    const root = await mkdtemp(join(tmpdir(), 'store-selection-'))
    try {
      // A file where the store's folder should be: SQLite cannot create the database under it.
      await writeFile(join(root, 'blocked'), 'not a folder')
      const store = selectStore(loadVectorConfig({ VECTOR_DB: join(root, 'blocked', 'vectors.db') }))
      const err = await store.listCollections().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(StoreError)
      expect((err as StoreError).code).toBe('unavailable')
      await store.close()
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  it('closes the store when the service shuts down', async () => {
    const shutdown = new AbortController()
    const store = selectStore(loadVectorConfig({ VECTOR_DB: ':memory:' }), shutdown.signal)
    await store.listCollections()
    shutdown.abort()
    await expect
      .poll(() =>
        store.listCollections().then(
          () => 'open',
          () => 'closed',
        ),
      )
      .toBe('closed')
  })
})
