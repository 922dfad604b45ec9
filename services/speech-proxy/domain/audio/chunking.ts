/**
 * Plans how long audio is cut into chunks the upstream can take. Each chunk has a body, the part
 * whose words it owns, and margins on both sides that overlap its neighbours, so a word cut at a
 * chunk's edge is heard whole by the chunk that owns it (stitch.ts). Bodies tile the file with no
 * gap; cuts fall at the longest pause near the target length, so few words straddle a cut at all.
 */
import type { Timed } from './types.ts'

export interface Chunk {
  index: number
  /** What is sent: the body with its margins, clamped to the file. */
  start: number
  end: number
  /** What the chunk owns. */
  bodyStart: number
  bodyEnd: number
}

export interface ChunkPlanOptions {
  /** Length of a body when a good pause is found near it. */
  targetS: number
  /** Longest chunk sent, margins included. */
  maxS: number
  /** Overlap on each side of a body. */
  marginS: number
}

export const DEFAULT_CHUNKING: ChunkPlanOptions = { targetS: 120, maxS: 180, marginS: 12 }

/** Chunks covering `durationS`, cut at the given silences where possible. One chunk if it fits. */
export function planChunks(
  durationS: number,
  silences: readonly Timed[],
  opts: ChunkPlanOptions = DEFAULT_CHUNKING,
): Chunk[] {
  const { targetS, maxS, marginS } = opts
  if (!(marginS >= 0 && targetS > 0 && targetS + 2 * marginS <= maxS))
    throw new RangeError(`chunk plan needs target + 2 × margin ≤ max (got ${targetS}, ${marginS}, ${maxS})`)
  if (durationS <= maxS) return [{ index: 0, start: 0, end: durationS, bodyStart: 0, bodyEnd: durationS }]
  const pauses = [...silences].sort((a, b) => a.start - b.start)
  const bodies: Timed[] = []
  let cursor = 0
  while (cursor < durationS) {
    // A margin is only added where there is a neighbour: the first body has none on its left, the
    // last none on its right, so they may be longer than the middle ones.
    const left = cursor > 0 ? marginS : 0
    if (durationS - cursor <= maxS - left) {
      bodies.push({ start: cursor, end: durationS })
      break
    }
    const longest = maxS - left - marginS
    const cutAt = bestCut(pauses, cursor, targetS, longest)
    bodies.push({ start: cursor, end: cutAt })
    cursor = cutAt
  }
  return bodies.map((b, index) => ({
    index,
    start: Math.max(0, b.start - marginS),
    end: Math.min(durationS, b.end + marginS),
    bodyStart: b.start,
    bodyEnd: b.end,
  }))
}

/**
 * Where to end a body that starts at `from`: the middle of the longest pause around the target
 * (¾ to 1¼ of it), else of the longest pause anywhere from half the target to the longest allowed,
 * else (no pause at all: music, a monologue) exactly at the target.
 */
function bestCut(pauses: readonly Timed[], from: number, targetS: number, longest: number): number {
  const windows = [
    [from + 0.75 * targetS, from + Math.min(1.25 * targetS, longest)],
    [from + 0.5 * targetS, from + longest],
  ] as const
  for (const [lo, hi] of windows) {
    let best: { length: number; mid: number } | null = null
    for (const p of pauses) {
      const start = Math.max(p.start, lo)
      const end = Math.min(p.end, hi)
      if (end <= start) continue
      const length = end - start
      if (!best || length > best.length) best = { length, mid: (start + end) / 2 }
    }
    if (best) return best.mid
  }
  return from + Math.min(targetS, longest)
}
