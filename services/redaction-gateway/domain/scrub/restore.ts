/**
 * `/rehydrate` over a stored map: each text's placeholders back to their values (exact tokens, then
 * tolerant forms of tokens this map holds; see domain/rehydrate), then the brackets `/scrub`
 * neutralised in the input put back. Only the tokens a text mentions are read from the store.
 */
import { restoreNeutralised } from '../placeholders/neutralise.ts'
import { rehydrate } from '../rehydrate/rehydrate.ts'
import { mapGone, mapNotFound } from './errors.ts'
import type { TokenStore } from './ports.ts'

export interface Restored {
  texts: { text: string; unresolved: string[] }[]
  restored: number
  unresolved: number
}

export function restoreTexts(handle: string, texts: readonly string[], store: TokenStore): Restored {
  const state = store.status(handle)
  if (state === 'unknown') throw mapNotFound()
  if (state === 'expired') throw mapGone()
  const lookup = (tokens: readonly string[]) => store.valuesFor(handle, tokens)
  let restored = 0
  let unresolved = 0
  const out = texts.map((text) => {
    const r = rehydrate(text, lookup)
    restored += r.restored
    unresolved += r.unknown.length
    return { text: restoreNeutralised(r.text), unresolved: r.unknown }
  })
  return { texts: out, restored, unresolved }
}
