/** One live map as the streamed restorers read it; 404/410 before anything is answered. */
import type { TokenLookup } from '../rehydrate/rehydrate.ts'
import type { SurfaceLookup } from '../rehydrate/surfaces.ts'
import { mapGone, mapNotFound } from '../scrub/errors.ts'
import type { TokenStore } from '../scrub/ports.ts'
import { surfaceLookupFor } from '../scrub/restore.ts'

export interface LiveMap {
  lookup: TokenLookup
  surfaces: SurfaceLookup
}

export function liveMap(store: TokenStore, handle: string): LiveMap {
  const state = store.status(handle)
  if (state === 'unknown') throw mapNotFound()
  if (state === 'expired') throw mapGone()
  return { lookup: (tokens) => store.valuesFor(handle, tokens), surfaces: surfaceLookupFor(handle, store) }
}
