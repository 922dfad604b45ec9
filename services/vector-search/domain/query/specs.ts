/**
 * Collection specs (vector size, tenant field) kept for a few seconds, so a query asks the store
 * for its collection once in a while rather than on every call (on Qdrant that is a round trip and
 * a count). A miss is never kept: a collection created a moment ago is found at once; a deleted one
 * is forgotten by the delete route, and any other process's delete still ends in the store's 404.
 */
import type { CollectionSpec, VectorStore } from '../store/ports.ts'

export interface CollectionSpecs {
  get(name: string, signal?: AbortSignal): Promise<CollectionSpec | null>
  forget(name: string): void
}

const MAX_KEPT = 1000

export function cachedSpecs(store: VectorStore, ttlMs = 5000, now: () => number = Date.now): CollectionSpecs {
  const kept = new Map<string, { spec: CollectionSpec; until: number }>()
  return {
    async get(name, signal) {
      const hit = kept.get(name)
      if (hit && hit.until > now()) return hit.spec
      const info = await store.getCollection(name, undefined, signal)
      if (!info) {
        kept.delete(name)
        return null
      }
      const { points: _points, ...spec } = info
      if (kept.size >= MAX_KEPT) kept.clear()
      kept.set(name, { spec, until: now() + ttlMs })
      return spec
    },
    forget: (name) => {
      kept.delete(name)
    },
  }
}
