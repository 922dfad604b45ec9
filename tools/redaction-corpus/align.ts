/**
 * Which characters of the original survived into the scrubbed text. The scrubbed text is the original
 * with some spans replaced by tokens (`[PERSON_1]`) or `[REDACTED]`, everything else copied as is; so
 * its literal runs appear in the original in order, with one replaced region between two of them.
 * A short run (", ", "\n") can often sit in several places; of the placements that fit, the one
 * chosen keeps typed regions on one line (no token type but a dropped Tier-1 span, a PEM block, spans
 * lines) and starts and ends regions on a visible character, as every detector's spans do; among equals
 * the earliest. Only a literal run's own characters can move between placements, so a planted value
 * is misjudged only if a whole run of text between two tokens also occurs inside a replaced span.
 */
const TOKEN = /\[(?:REDACTED|([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)_\d+)\]/g

export interface Region {
  start: number
  end: number
  /** The token's type (`PERSON`, `BTC_ADDR`…), or null for a dropped Tier-1 span. */
  type: string | null
  token: string
}

export class AlignmentError extends Error {}

/** The replaced regions of `original` (neutralised the way the scrubber reads it) behind `scrubbed`. */
export function alignScrubbed(original: string, scrubbed: string): Region[] {
  const tokens = [...scrubbed.matchAll(TOKEN)]
  const literals: string[] = []
  let at = 0
  for (const t of tokens) {
    literals.push(scrubbed.slice(at, t.index))
    at = t.index + t[0].length
  }
  literals.push(scrubbed.slice(at))
  const types = tokens.map((t) => t[1] ?? null)
  const places = placements(
    original,
    literals,
    types.map((t) => t !== null),
  )
  return types.map((type, i) => ({
    start: places[i]! + literals[i]!.length,
    end: places[i + 1]!,
    type,
    token: tokens[i]![0],
  }))
}

/** Where each literal run starts in the original: the cheapest placement (see above), earliest first. */
function placements(original: string, literals: string[], typed: boolean[]): number[] {
  const n = literals.length
  const lastAt = original.length - literals[n - 1]!.length
  if (
    !original.startsWith(literals[0]!) ||
    !original.endsWith(literals[n - 1]!) ||
    (n > 1 && lastAt < literals[0]!.length + 1)
  )
    throw new AlignmentError('the scrubbed text does not start and end as the original')
  if (n === 1) {
    if (original !== literals[0]) throw new AlignmentError('text changed without a token')
    return [0]
  }
  const earliest = [0]
  for (let i = 1; i < n - 1; i++) {
    const p = original.indexOf(literals[i]!, earliest[i - 1]! + literals[i - 1]!.length + 1)
    if (p < 0) throw new AlignmentError(`no place for the text after token ${i}`)
    earliest.push(p)
  }
  earliest.push(lastAt)
  const latest = new Array<number>(n)
  latest[n - 1] = lastAt
  for (let i = n - 2; i >= 1; i--)
    latest[i] = original.lastIndexOf(literals[i]!, latest[i + 1]! - 1 - literals[i]!.length)
  latest[0] = 0
  const candidates = literals.map((lit, i) => occurrences(original, lit, earliest[i]!, latest[i]!))
  return cheapest(original, literals, candidates, typed)
}

function occurrences(text: string, literal: string, from: number, to: number): number[] {
  const out: number[] = []
  // An empty run (two tokens side by side) occurs everywhere; indexOf('') never passes the end.
  for (let p = text.indexOf(literal, from); p >= 0 && p <= to; p = text.indexOf(literal, p + 1)) {
    out.push(p)
    if (p >= text.length) break
  }
  return out
}

function regionCost(text: string, start: number, end: number, typed: boolean): number {
  const ragged = (/\s/.test(text[start]!) ? 1 : 0) + (/\s/.test(text[end - 1]!) ? 1 : 0)
  return ragged + (typed && text.slice(start, end).includes('\n') ? 10 : 0)
}

function cheapest(original: string, literals: string[], candidates: number[][], typed: boolean[]): number[] {
  let layer = candidates[0]!.map((p) => ({ p, cost: 0, path: [p] }))
  for (let i = 1; i < literals.length; i++) {
    const span = literals[i - 1]!.length
    layer = candidates[i]!.flatMap((p) => {
      let best: { p: number; cost: number; path: number[] } | null = null
      for (const prev of layer) {
        const start = prev.p + span
        if (start >= p) break
        const cost = prev.cost + regionCost(original, start, p, typed[i - 1]!)
        if (!best || cost < best.cost) best = { p, cost, path: [...prev.path, p] }
      }
      return best ? [best] : []
    })
    if (layer.length === 0) throw new AlignmentError(`no place for the text after token ${i}`)
  }
  return layer[0]!.path
}

/** For each character of the original: the index of the region replacing it, or -1 (it survived). */
export function coverage(length: number, regions: readonly Region[]): Int32Array {
  const covered = new Int32Array(length).fill(-1)
  for (const [i, r] of regions.entries()) covered.fill(i, r.start, r.end)
  return covered
}
