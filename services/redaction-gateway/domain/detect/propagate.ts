import { findFolded, needsCapital } from './known.ts'
import { fold, foldKey } from './known-fold.ts'
import type { Detection } from './types.ts'

/**
 * Mention propagation over resolved detections: once "Sarah Johnson" is a PERSON, every mention
 * of "Sarah Johnson", "Sarah", "Johnson" (so also "Ms. Johnson": titles stay outside the span) gets
 * the same entity, before or after the full name.
 *
 * `owners` may come from more than this text's detections — the people of every item of the call and
 * of the map being extended (`ownersOf`) — so "Sarah" in one item joins the "Sarah Johnson" of
 * another item or of an earlier call.
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
  owners: Owners = ownersOf(resolved.filter((d) => d.type === 'PERSON').map((d) => d.value)),
): Detection[] {
  if (owners.parts.size === 0) return [...resolved]
  const folded = fold(text)
  const claimed = resolved.map((d) => joinEntity(d, owners.parts))
  const taken = new Uint8Array(text.length)
  for (const d of claimed) taken.fill(1, d.start, d.end)
  const added: Detection[] = []
  // Longest parts first, so "Sarah Johnson" is taken whole before "Sarah" could take half of it.
  const parts = candidates(folded.text, owners).sort(([a], [b]) => b.length - a.length)
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
        value: entity,
      })
    }
  }
  return [...claimed, ...added].sort((a, b) => a.start - b.start)
}

/** The people mentions can belong to, by part, built once for a whole call. */
export interface Owners {
  /** Folded part (first name, surname, shorter runs of words) → the full name, or null when ambiguous. */
  parts: Map<string, string | null>
  /** Unambiguous parts by their first run of letters and digits, to try only parts a text can hold. */
  byFirstRun: Map<string, string[]>
}

const RUNS = /[\p{L}\p{N}]+/gu

export function ownersOf(names: readonly string[]): Owners {
  const parts = partOwners(names)
  const byFirstRun = new Map<string, string[]>()
  for (const [part, entity] of parts) {
    if (!entity) continue
    const first = part.match(RUNS)?.[0]
    if (first) byFirstRun.set(first, [...(byFirstRun.get(first) ?? []), part])
  }
  return { parts, byFirstRun }
}

/**
 * The parts worth searching for in a text: every run of letters of a part stands whole in the
 * folded text (findFolded wants word boundaries), so a call with a thousand people does not search
 * each item for each of their names.
 */
function candidates(folded: string, owners: Owners): [string, string][] {
  const runs = new Set(folded.match(RUNS) ?? [])
  const out: [string, string][] = []
  for (const run of runs) {
    for (const part of owners.byFirstRun.get(run) ?? []) {
      if ((part.match(RUNS) ?? []).every((r) => runs.has(r))) out.push([part, owners.parts.get(part)!])
    }
  }
  return out
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
