/**
 * Puts chunk results back together. Each chunk answers in its own time (0 = the chunk's start); a
 * word or segment moves to file time and is kept only by the chunk whose body holds its midpoint,
 * so the overlap margins, which two chunks both hear, yield each word once.
 */
import type { Chunk } from './chunking.ts'
import type { Segment, Timed, Word } from './types.ts'
import { joinWords } from './words.ts'

export interface ChunkResult {
  chunk: Chunk
  /** Chunk-local seconds. */
  words: Word[]
  /** Chunk-local seconds; `words` inside a segment are chunk-local too. */
  segments: Segment[]
}

export interface Stitched {
  words: Word[]
  segments: Segment[]
  text: string
}

/** True when `t` (file seconds) belongs to this chunk of a plan whose last chunk has index `last`. */
export function owns(chunk: Chunk, t: number, last: number): boolean {
  const afterStart = chunk.index === 0 || t >= chunk.bodyStart
  const beforeEnd = chunk.index === last || t < chunk.bodyEnd
  return afterStart && beforeEnd
}

/** A chunk-local item in file time, kept inside the span the chunk was sent. */
export function toGlobal<T extends Timed>(item: T, chunk: Chunk): T {
  const clamp = (t: number) => Math.min(chunk.end, Math.max(chunk.start, chunk.start + t))
  return { ...item, start: clamp(item.start), end: clamp(item.end) }
}

const midpoint = (t: Timed) => (t.start + t.end) / 2
const byTime = (a: Timed, b: Timed) => a.start - b.start || a.end - b.end

export function stitch(results: readonly ChunkResult[]): Stitched {
  const last = Math.max(-1, ...results.map((r) => r.chunk.index))
  const words: Word[] = []
  const segments: Segment[] = []
  for (const { chunk, words: local, segments: localSegments } of results) {
    const place = <T extends Word | Segment>(item: T): T => toGlobal(item, chunk)
    const kept = local.map(place).filter((w) => owns(chunk, midpoint(w), last))
    words.push(...kept)
    for (const segment of withWords(localSegments, local)) {
      if (!segment.words) {
        const placed = place(segment)
        if (owns(chunk, midpoint(placed), last)) segments.push(placed)
        continue
      }
      const own = segment.words.map(place).filter((w) => owns(chunk, midpoint(w), last))
      const first = own[0]
      const end = own.at(-1)
      if (!first || !end) continue
      segments.push({ ...place(segment), start: first.start, end: end.end, text: joinWords(own), words: own })
    }
  }
  words.sort(byTime)
  segments.sort(byTime)
  const numbered = segments.map((s, id) => ({ ...s, id }))
  const text = numbered.length > 0 ? numbered.map((s) => s.text).join(' ') : joinWords(words)
  return { words, segments: numbered, text }
}

/**
 * Segments that came without their words get the chunk's words whose midpoints they hold, so a
 * segment cut by a chunk boundary can be trimmed word by word instead of kept or dropped whole.
 */
function withWords(segments: readonly Segment[], words: readonly Word[]): Segment[] {
  if (words.length === 0) return [...segments]
  const given = new Map<Segment, Word[]>()
  for (const w of words) {
    // Each word goes to one segment only, the first that holds its midpoint.
    const home = segments.find((s) => !s.words && midpoint(w) >= s.start && midpoint(w) <= s.end)
    if (home) given.set(home, [...(given.get(home) ?? []), w])
  }
  return segments.map((s) => (given.has(s) ? { ...s, words: given.get(s) } : s))
}
