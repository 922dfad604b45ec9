/**
 * The embedded store as a readiness dependency (`embedded_store`): up when it answers a listing.
 * With Qdrant the `qdrant` upstream check says the same, so this is only added for the embedded store.
 */
import type { DependencyCheck } from '../../../../shared/readiness.ts'
import type { VectorStore } from '../store/ports.ts'

export const EMBEDDED_STORE = 'embedded_store'

export function embeddedStoreCheck(store: VectorStore): DependencyCheck {
  return {
    name: EMBEDDED_STORE,
    // The store is a file beside the service: without it no search route can answer.
    critical: true,
    check: async (signal) => {
      const started = performance.now()
      try {
        const collections = await store.listCollections(undefined, signal)
        return {
          state: 'up',
          detail: `${collections.length} collections`,
          latency_ms: Math.round(performance.now() - started),
        }
      } catch (err) {
        return { state: 'down', detail: (err as Error).message.slice(0, 200) }
      }
    },
  }
}
