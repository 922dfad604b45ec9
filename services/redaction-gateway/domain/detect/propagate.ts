import { findFolded, needsCapital } from './known.ts'
import { fold, foldKey } from './known-fold.ts'
import type { Detection } from './types.ts'

/**
 * Mention propagation over resolved detections: once "Sarah Johnson" is a PERSON, every mention
 * of "Sarah Johnson", "Sarah", "Johnson" (so also "Ms. Johnson": titles stay outside the span) gets
 * the same entity, before or after the full name.
 *
 * `people` are full names found elsewhere — other items of the call, the map being extended — so
 * "Sarah" in one item joins the "Sarah Johnson" of another item or of an earlier call.
 *
 * "The same entity" is carried by `value`: a propagated span's `value` is the full name it belongs
 * to, not the text it covers, so the placeholder module gives it the full name's token (the map
 * keeps the text it covered as a surface form, so an echoed text rehydrates exactly, and a new
 * sentence gets the full name). A part shared by two detected people ("Sarah" of Sarah
 * Johnson and Sarah Lee) is ambiguous and not propagated; a part made only of everyday words
 * ("Will", "Grant", "Will Grant") only counts capitalised. Spans already claimed by another detection are left alone,
 * except a lone PERSON span equal to one entity's part, which joins that entity.
 */
export function propagate(
  text: string,
  resolved: readonly Detection[],
  people: readonly string[] = [],
): Detection[] {
  const owners = partOwners([...resolved.filter((d) => d.type === 'PERSON').map((d) => d.value), ...people])
  if (owners.size === 0) return [...resolved]
  const folded = fold(text)
  const claimed = resolved.map((d) => joinEntity(d, owners))
  const taken = new Uint8Array(text.length)
  for (const d of claimed) taken.fill(1, d.start, d.end)
  const added: Detection[] = []
  // Longest parts first, so "Sarah Johnson" is taken whole before "Sarah" could take half of it.
  const parts = [...owners].filter(([, entity]) => entity).sort(([a], [b]) => b.length - a.length)
  for (const [key, entity] of parts) {
    for (const [start, end] of findFolded(text, folded, key, needsCapital(key))) {
      if (taken.subarray(start, end).includes(1)) continue
      taken.fill(1, start, end)
      added.push({
        start,
        end,
        tier: 2,
        type: 'PERSON',
        kind: null,
        detector: 'propagate',
        score: 0.8,
        value: entity!,
      })
    }
  }
  return [...claimed, ...added].sort((a, b) => a.start - b.start)
}

/** Folded part (first name, surname, shorter runs of words) → the full name, or null when ambiguous. */
function partOwners(names: readonly string[]): Map<string, string | null> {
  const owners = new Map<string, string | null>()
  for (const name of names) {
    const words = foldKey(name).split(' ')
    if (words.length < 2) continue
    for (const part of partsOf(words)) {
      const current = owners.get(part)
      if (current === undefined) owners.set(part, name)
      else if (current !== null && foldKey(current) !== foldKey(name)) owners.set(part, null)
    }
  }
  return owners
}

function partsOf(words: string[]): string[] {
  const out: string[] = []
  for (let len = 1; len <= words.length; len++) {
    for (let i = 0; i + len <= words.length; i++) {
      const part = words.slice(i, i + len).join(' ')
      if (part.replace(/\W/g, '').length >= 2) out.push(part)
    }
  }
  return out
}

function joinEntity(d: Detection, owners: Map<string, string | null>): Detection {
  if (d.type !== 'PERSON') return d
  const entity = owners.get(foldKey(d.value))
  return entity ? { ...d, value: entity } : d
}
