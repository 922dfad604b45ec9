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
  const accepted: Detection[] = []
  for (const candidate of [...detections].sort(precedence)) {
    let pieces = [candidate]
    for (const winner of accepted) pieces = pieces.flatMap((piece) => outside(piece, winner))
    for (const piece of pieces) {
      const kept = piece === candidate ? piece : retrimmed(text, piece)
      if (kept) accepted.push(kept)
    }
  }
  return mergeAdjacent(
    text,
    accepted.sort((a, b) => a.start - b.start),
  )
}

/** The parts of `piece` that `winner` does not cover (zero, one or two). */
function outside(piece: Detection, winner: Detection): Detection[] {
  if (piece.end <= winner.start || winner.end <= piece.start) return [piece]
  const out: Detection[] = []
  if (piece.start < winner.start) out.push({ ...piece, end: winner.start })
  if (winner.end < piece.end) out.push({ ...piece, start: winner.end })
  return out
}

/** A numeric span cut down to no digit ("paid" of "paid 4111…") has nothing left to hide. */
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
