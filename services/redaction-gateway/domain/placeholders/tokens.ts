import { foldKey } from '../detect/known-fold.ts'
import type { Detection, EntityType } from '../detect/types.ts'

/**
 * A placeholder map: `[TYPE_N]` tokens with one counter per type, and the same normalised value
 * always getting the same token. Everything in it can be rebuilt from its `token → value` pairs
 * (`tokenMapFrom`), so a store only has to keep those (encrypted) to extend a map on a later call.
 */
export interface TokenMap {
  counters: Map<EntityType, number>
  /** `TYPE\u0000normalised value` → token. */
  byKey: Map<string, string>
  /** token → the value first seen for it (what rehydration writes back). */
  values: Map<string, string>
}

export interface TokenEntry {
  token: string
  value: string
}

export function createTokenMap(): TokenMap {
  return { counters: new Map(), byKey: new Map(), values: new Map() }
}

const TOKEN = /^\[([A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*)_(\d+)\]$/

export function tokenMapFrom(entries: Iterable<TokenEntry>): TokenMap {
  const map = createTokenMap()
  for (const { token, value } of entries) {
    const m = TOKEN.exec(token)
    if (!m) continue
    const type = m[1] as EntityType
    map.values.set(token, value)
    map.byKey.set(keyOf(type, value), token)
    map.counters.set(type, Math.max(map.counters.get(type) ?? 0, Number(m[2])))
  }
  return map
}

/** The token for a value, minting the next `[TYPE_N]` when the value is new to the map. */
export function tokenFor(map: TokenMap, type: EntityType, value: string): string {
  const key = keyOf(type, value)
  const known = map.byKey.get(key)
  if (known) return known
  const n = (map.counters.get(type) ?? 0) + 1
  const token = `[${type}_${n}]`
  map.counters.set(type, n)
  map.byKey.set(key, token)
  map.values.set(token, value)
  return token
}

export interface Assigned {
  detection: Detection
  /** Null for Tier-1 material, which is never tokenised. */
  token: string | null
}

export function assignTokens(detections: readonly Detection[], map: TokenMap): Assigned[] {
  return detections.map((detection) => ({
    detection,
    token: detection.tier === 1 || !detection.type ? null : tokenFor(map, detection.type, detection.value),
  }))
}

/** Two spellings of one value share a key: case, accents, spacing; spoken and written emails; phone punctuation. */
export function keyOf(type: EntityType, value: string): string {
  return `${type}\u0000${normalise(type, value)}`
}

function normalise(type: EntityType, value: string): string {
  const folded = foldKey(value).replace(/[.,;:!?]+$/, '')
  switch (type) {
    case 'EMAIL':
      return folded
        .replace(/ dot /g, '.')
        .replace(/ (?:underscore) /g, '_')
        .replace(/ (?:dash|hyphen) /g, '-')
        .replace(/ at /g, '@')
        .replace(/\s+/g, '')
    case 'PHONE':
      return folded.replace(/(?:ext|x|#).*$/, (ext) => `x${ext.replace(/\D/g, '')}`).replace(/[^\d+x]/g, '')
    case 'URL':
      return folded
        .replace(/^[a-z]+:\/\//, '')
        .replace(/^www\./, '')
        .replace(/\/+$/, '')
    default:
      return folded
  }
}
