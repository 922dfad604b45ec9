/**
 * Scrub then rehydrate through the real pipeline, rule-based detectors and map store (SQLite in
 * memory), for the round-trip and propagation tests (not shipped).
 */
import { type MapStore, openMapStore } from '../../adapters/map-store.ts'
import type { KnownEntities } from '../detect/types.ts'
import { RULE_DETECTORS } from './detectors.ts'
import { type ScrubOutput, scrub } from './pipeline.ts'
import { restorerFor } from './restore.ts'

export interface RoundTripper {
  store: MapStore
  scrub(texts: readonly string[], options?: { known?: KnownEntities; mapHandle?: string }): ScrubOutput
  rehydrate(handle: string, texts: readonly string[]): string[]
  /** Scrubs `texts` in one call and rehydrates each scrubbed text: the output should be `texts`. */
  roundTrip(texts: readonly string[], options?: { known?: KnownEntities; mapHandle?: string }): string[]
}

export async function roundTripper(): Promise<RoundTripper> {
  const store = await openMapStore({
    path: ':memory:',
    key: Buffer.alloc(32, 9),
    ttlS: 3600,
    sweepEveryMs: 0,
  })
  const limits = { maxItems: 1000, maxItemChars: 250_000 }
  const scrubTexts: RoundTripper['scrub'] = (texts, options = {}) =>
    scrub(
      {
        taskId: 'round-trip',
        items: texts.map((text, id) => ({ id, text })),
        knownEntities: options.known,
        tier1Action: 'drop',
        ner: 'rules_only',
        mapHandle: options.mapHandle,
      },
      { detectors: RULE_DETECTORS, store, limits },
    )
  const rehydrate: RoundTripper['rehydrate'] = (handle, texts) => {
    const restorer = restorerFor(handle, store)
    return texts.map((text) => restorer.restore(text).text)
  }
  return {
    store,
    scrub: scrubTexts,
    rehydrate,
    roundTrip(texts, options) {
      const out = scrubTexts(texts, options)
      return rehydrate(
        out.mapHandle,
        out.items.map((i) => i.scrubbedText),
      )
    },
  }
}
