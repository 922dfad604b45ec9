import type { Detection } from './types.ts'

/**
 * One answer per character from the union of all detectors:
 * - Tier-1 beats Tier-2 on any overlap (it is dropped, never tokenised, so nothing of it may leak
 *   into a token's value);
 * - otherwise the larger span wins, then the higher score, then the detector's priority;
 * - a loser that only partly overlaps keeps its parts outside the winner (trimmed), so the
 *   characters no other span claims stay covered;
 * - adjacent spans of the same type (only spaces or hyphens between, on one line) merge, so
 *   "Sarah" + "Johnson" from two rules become one "Sarah Johnson".
 * The result is sorted by start and never overlaps.
 */
const PRIORITY: [RegExp, number][] = [
  [/^known$/, 100],
  [/^ip$/, 70],
  [/^(?:email|url|handle|phone)/, 60],
  [/^(?:amount|date|address)/, 50],
  [/^names/, 30],
  [/^propagate$/, 25],
  [/^digits$/, 0],
]

export function priorityOf(detector: string): number {
  return PRIORITY.find(([re]) => re.test(detector))?.[1] ?? 50
}

function precedence(a: Detection, b: Detection): number {
  return (
    a.tier - b.tier ||
    b.end - b.start - (a.end - a.start) ||
    b.score - a.score ||
    priorityOf(b.detector) - priorityOf(a.detector) ||
    a.start - b.start
  )
}

export function resolve(text: string, detections: readonly Detection[]): Detection[] {
  // Kept sorted by start and free of overlaps, so the winners a candidate meets are found by bisection.
  const accepted: Detection[] = []
  for (const candidate of [...detections].sort(precedence)) {
    let pieces = [candidate]
    for (
      let i = firstEndingAfter(accepted, candidate.start);
      accepted[i] && accepted[i]!.start < candidate.end;
      i++
    ) {
      const winner = accepted[i]!
      pieces = pieces.flatMap((piece) => outside(piece, winner))
    }
    for (const piece of pieces) {
      const kept = piece === candidate ? piece : retrimmed(text, piece)
      if (kept) accepted.splice(firstEndingAfter(accepted, kept.start), 0, kept)
    }
  }
  return mergeAdjacent(text, accepted)
}

/** Index of the first accepted span ending after `at` (ends rise with starts: no overlaps). */
function firstEndingAfter(sorted: Detection[], at: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid]!.end <= at) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The parts of `piece` that `winner` does not cover (zero, one or two). */
function outside(piece: Detection, winner: Detection): Detection[] {
  if (piece.end <= winner.start || winner.end <= piece.start) return [piece]
  const out: Detection[] = []
  if (piece.start < winner.start) out.push({ ...piece, end: winner.start })
  if (winner.end < piece.end) out.push({ ...piece, start: winner.end })
  return out
}

const NUMERIC = new Set(['PHONE', 'AMOUNT', 'DATE', 'IP', 'DIGITS'])

const EDGE = /^[\s.,;:!?'"’”()[\]{}<>/-]+|[\s.,;:!?'"’”()[\]{}<>/-]+$/gu

function retrimmed(text: string, piece: Detection): Detection | null {
  const raw = text.slice(piece.start, piece.end)
  const lead = raw.length - raw.replace(/^[\s.,;:!?'"’”()[\]{}<>/-]+/u, '').length
  const value = raw.replace(EDGE, '')
  if ((value.match(/[\p{L}\p{N}]/gu) ?? []).length < 2) return null
  if (piece.type && NUMERIC.has(piece.type) && !/\d/.test(value)) return null
  const start = piece.start + lead
  return { ...piece, start, end: start + value.length, value }
}

const JOINER = /^[ \t\-‐‑–]*$/u

function sameKind(a: Detection, b: Detection): boolean {
  return a.tier === b.tier && a.type === b.type && a.kind === b.kind
}

function mergeAdjacent(text: string, sorted: Detection[]): Detection[] {
  const out: Detection[] = []
  for (const d of sorted) {
    const prev = out[out.length - 1]
    if (prev && sameKind(prev, d) && JOINER.test(text.slice(prev.end, d.start))) {
      out[out.length - 1] = {
        ...prev,
        end: d.end,
        score: Math.max(prev.score, d.score),
        value: text.slice(prev.start, d.end),
      }
    } else out.push(d)
  }
  return out
}
