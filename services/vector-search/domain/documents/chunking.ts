/**
 * Structure-aware chunking. A document is cut first at Markdown headings (ATX `#` lines outside code
 * fences), then, inside a section too long for one chunk, at paragraphs, then sentences (and single
 * line breaks, so list items stay whole), then words, and only a single word longer than a chunk is
 * cut mid-word. Pieces are packed greedily up to the size; each chunk after the first of a section
 * starts with the end of the one before (the overlap), moved forward to a sentence or word start so
 * no chunk begins mid-word. Sizes are in tokens, estimated as characters / 4 (bge-m3's tokenizer
 * averages about that on English prose), and a chunk with its overlap stays within the size.
 *
 * Offsets are into the document as given, in UTF-16 code units (JavaScript's `String.slice`).
 */

export interface ChunkingOptions {
  /** The most tokens a chunk holds, overlap included. */
  sizeTokens: number
  /** Tokens a chunk repeats from the end of the one before it in the same section. */
  overlapTokens: number
}

export interface Chunk {
  text: string
  /** The headings above the chunk, outermost first (empty before the first heading). */
  heading: string[]
  start: number
  end: number
}

export const CHARS_PER_TOKEN = 4

interface Section {
  heading: string[]
  start: number
  end: number
}

const FENCE = /^ {0,3}(```|~~~)/
const ATX_HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/

/** The document's sections: each heading line starts one that runs to the next heading. */
export function sectionsOf(text: string): Section[] {
  const sections: Section[] = []
  const path: { level: number; title: string }[] = []
  let current: Section = { heading: [], start: 0, end: text.length }
  let inFence = false
  let lineStart = 0
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart)
    const lineEnd = newline === -1 ? text.length : newline
    const line = text.slice(lineStart, lineEnd)
    if (FENCE.test(line)) inFence = !inFence
    const heading = inFence ? null : ATX_HEADING.exec(line)
    if (heading) {
      current.end = lineStart
      sections.push(current)
      const level = heading[1]!.length
      while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop()
      path.push({ level, title: heading[2]!.trim() })
      current = { heading: path.map((h) => h.title), start: lineStart, end: text.length }
    }
    lineStart = lineEnd + 1
  }
  sections.push(current)
  return sections.filter((s) => text.slice(s.start, s.end).trim() !== '')
}

/** Where each level cuts: the index just past a match is where the next piece begins. */
const LEVELS = [/\n[ \t]*\n\s*/g, /[.!?…]["')\]]*\s+|\n\s*/g, /\s+/g]

/** Ranges covering [start, end), none longer than `budget` unless a level below could not cut it. */
function piecesOf(text: string, start: number, end: number, budget: number, level = 0): [number, number][] {
  if (end - start <= budget) return [[start, end]]
  if (level >= LEVELS.length) return hardCut(text, start, end, budget)
  const cuts = [start]
  const pattern = new RegExp(LEVELS[level]!.source, 'g')
  pattern.lastIndex = start
  for (let m = pattern.exec(text); m && m.index < end; m = pattern.exec(text)) {
    const next = m.index + m[0].length
    if (next >= end) break
    if (next > cuts[cuts.length - 1]!) cuts.push(next)
  }
  cuts.push(end)
  const pieces: [number, number][] = []
  for (let i = 0; i + 1 < cuts.length; i++)
    pieces.push(...piecesOf(text, cuts[i]!, cuts[i + 1]!, budget, level + 1))
  return pieces
}

function hardCut(text: string, start: number, end: number, budget: number): [number, number][] {
  const pieces: [number, number][] = []
  let at = start
  while (at < end) {
    let next = Math.min(end, at + budget)
    // Never split a surrogate pair.
    if (next < end && isLowSurrogate(text.charCodeAt(next)) && next - 1 > at) next -= 1
    pieces.push([at, next])
    at = next
  }
  return pieces
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** Where the overlap into the chunk before begins: the first sentence start in it, else the first word start. */
function overlapStart(text: string, from: number, limit: number): number {
  let firstWord = -1
  for (let p = from; p < limit; p++) {
    if (isSpace(text[p]!) || (p > 0 && !isSpace(text[p - 1]!))) continue
    if (firstWord < 0) firstWord = p
    if (isSentenceStart(text, p)) return p
  }
  return firstWord < 0 ? limit : firstWord
}

const isSpace = (char: string) => /\s/.test(char)

function isSentenceStart(text: string, at: number): boolean {
  let q = at - 1
  while (q >= 0 && (text[q] === ' ' || text[q] === '\t')) q--
  if (q < 0 || text[q] === '\n' || text[q] === '\r') return true
  while (q >= 0 && '"\')]'.includes(text[q]!)) q--
  return q >= 0 && '.!?…'.includes(text[q]!)
}

function trimmed(text: string, start: number, end: number): [number, number] {
  while (start < end && isSpace(text[start]!)) start++
  while (end > start && isSpace(text[end - 1]!)) end--
  return [start, end]
}

function chunkSection(text: string, section: Section, budget: number, overlap: number): Chunk[] {
  const pieces = piecesOf(text, section.start, section.end, budget)
  const chunks: Chunk[] = []
  let i = 0
  while (i < pieces.length) {
    const coreStart = pieces[i]![0]
    const previous = chunks[chunks.length - 1]
    let start = coreStart
    if (previous && overlap > 0) {
      // The overlap gives way when the next piece alone needs the room.
      const room = Math.max(0, Math.min(overlap, budget - (pieces[i]![1] - coreStart)))
      start = overlapStart(text, Math.max(previous.start, coreStart - room), coreStart)
    }
    let end = pieces[i]![1]
    i++
    while (i < pieces.length && pieces[i]![1] - start <= budget) end = pieces[i++]![1]
    const [from, to] = trimmed(text, start, end)
    if (to > from) chunks.push({ text: text.slice(from, to), heading: section.heading, start: from, end: to })
  }
  return chunks
}

/** The document's chunks in order. Blank text has none. */
export function chunkDocument(text: string, options: ChunkingOptions): Chunk[] {
  const budget = Math.max(1, Math.floor(options.sizeTokens * CHARS_PER_TOKEN))
  const overlap = Math.max(0, Math.min(Math.floor(options.overlapTokens * CHARS_PER_TOKEN), budget - 1))
  return sectionsOf(text).flatMap((section) => chunkSection(text, section, budget, overlap))
}
