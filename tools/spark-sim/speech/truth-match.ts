/**
 * Finds registered ground-truth lines inside a stretch of uploaded audio. Each speech frame's code
 * (and its 1-bit neighbours, which absorb small distortions) is looked up in an index of every
 * registered line's codes; a hit votes for "line L starts at frame δ of this stretch". The best
 * voted alignments are then checked over their whole overlap by bit error rate: the same recording
 * (attenuated 18 dB, delayed by a fraction of a frame, band-limited to 8 kHz, under a second voice
 * 18 dB down) stays below 0.15, while different speech stays above 0.35 (espeak lines;
 * `audio/signature.test.ts`). Accepted alignments claim their frames, so a stretch holding several lines, or
 * one line overlapping another, yields one match per line.
 */
import { bitErrorRate, CODE_BITS, type Codes } from './audio/signature.ts'
import type { TruthLine } from './truth-registry.ts'

const MAX_BER = 0.25
const COPY_BER = 0.15
/** At least this many compared frames (0.3 s) before an alignment counts. */
const MIN_FRAMES = 15
// A code shared by this many registered frames says nothing about which line is playing.
const MAX_POSTINGS = 400
const MAX_CANDIDATES = 12
const OFFSET_BIAS = 1 << 21

export interface TruthIndex {
  lines: TruthLine[]
  postings: Map<number, number[]>
}

/**
 * Same words, same speaker, same sound (within a frame): a clip a fixture reuses, or a fixture
 * registered twice. Any copy gives the same words at the same place, so one is indexed.
 */
function isCopy(a: TruthLine, b: TruthLine): boolean {
  if (a.text !== b.text || a.speaker !== b.speaker) return false
  const shortest = Math.min(a.codes.code.length, b.codes.code.length)
  for (let offset = -2; offset <= 2; offset++) {
    const r = bitErrorRate(a.codes, b.codes, offset)
    if (r.ber < COPY_BER && r.frames >= 0.6 * shortest) return true
  }
  return false
}

/** Postings are packed pairs: line index, then the frame within that line. */
export function buildIndex(all: TruthLine[]): TruthIndex {
  const byWords = new Map<string, TruthLine[]>()
  const lines: TruthLine[] = []
  for (const line of all) {
    const key = `${line.speaker}\u0000${line.text}`
    const kept = byWords.get(key) ?? []
    if (kept.some((k) => isCopy(k, line))) continue
    kept.push(line)
    byWords.set(key, kept)
    lines.push(line)
  }
  const postings = new Map<number, number[]>()
  lines.forEach((line, l) => {
    const { code, valid } = line.codes
    for (let j = 0; j < code.length; j++) {
      if (!valid[j]) continue
      const list = postings.get(code[j]!) ?? []
      if (list.length === 0) postings.set(code[j]!, list)
      if (list.length < MAX_POSTINGS * 2) list.push(l, j)
    }
  })
  return { lines, postings }
}

export interface LineMatch {
  line: TruthLine
  /** Frame of the stretch where the line's frame 0 falls (may be negative: the line began earlier). */
  offset: number
  /** Frames of the stretch this line accounts for, inclusive. */
  first: number
  last: number
  ber: number
}

function vote(index: TruthIndex, query: Codes): Map<number, number> {
  const votes = new Map<number, number>()
  const add = (c: number, k: number, weight: number) => {
    const list = index.postings.get(c)
    if (!list || list.length >= MAX_POSTINGS * 2) return
    for (let p = 0; p < list.length; p += 2) {
      const key = list[p]! * 2 * OFFSET_BIAS + (k - list[p + 1]! + OFFSET_BIAS)
      votes.set(key, (votes.get(key) ?? 0) + weight)
    }
  }
  for (let k = 0; k < query.code.length; k++) {
    if (!query.valid[k]) continue
    const c = query.code[k]!
    add(c, k, 2)
    for (let b = 0; b < CODE_BITS; b++) add((c ^ (1 << b)) >>> 0, k, 1)
  }
  return votes
}

function candidates(votes: Map<number, number>) {
  // A fractional-frame delay splits a true alignment's votes over two neighbouring offsets.
  const pooled = [...votes].map(([key, n]) => [
    key,
    n + (votes.get(key - 1) ?? 0) + (votes.get(key + 1) ?? 0),
  ])
  pooled.sort((a, b) => b[1]! - a[1]!)
  return pooled.slice(0, MAX_CANDIDATES * 3).map(([key]) => ({
    line: Math.floor(key! / (2 * OFFSET_BIAS)),
    offset: (key! % (2 * OFFSET_BIAS)) - OFFSET_BIAS,
  }))
}

export interface Matched {
  matches: LineMatch[]
  /** Per frame of the stretch: the index in `matches` of the line heard there, or -1. */
  owner: Int16Array
}

/**
 * Lines heard in `query` (the codes of one stretch), in the order they were accepted (best voted
 * first). Where two lines overlap, the frames go to the first accepted, as an ASR model transcribes
 * the louder of two talkers.
 */
export function matchLines(index: TruthIndex, query: Codes): Matched {
  const owner = new Int16Array(query.code.length).fill(-1)
  if (index.lines.length === 0) return { matches: [], owner }
  const matches: LineMatch[] = []
  const tried = new Set<string>()
  for (const cand of candidates(vote(index, query))) {
    if (matches.length >= MAX_CANDIDATES) break
    const line = index.lines[cand.line]!
    if (tried.has(`${cand.line}:${cand.offset}`)) continue
    let best = { ber: 1, frames: 0, offset: cand.offset }
    for (const offset of [cand.offset - 1, cand.offset, cand.offset + 1]) {
      tried.add(`${cand.line}:${offset}`)
      const r = bitErrorRate(query, line.codes, offset)
      if (r.frames >= MIN_FRAMES && r.ber < best.ber) best = { ...r, offset }
    }
    if (best.ber > MAX_BER) continue
    const first = Math.max(0, best.offset)
    const last = Math.min(query.code.length - 1, best.offset + line.codes.code.length - 1)
    let free = 0
    for (let i = first; i <= last; i++) if (owner[i] === -1 && query.valid[i]) free++
    if (free < MIN_FRAMES) continue
    for (let i = first; i <= last; i++) if (owner[i] === -1) owner[i] = matches.length
    matches.push({ line, offset: best.offset, first, last, ber: best.ber })
  }
  return { matches, owner }
}
