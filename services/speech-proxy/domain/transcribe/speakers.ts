/**
 * Words meet the recording's speaker turns: each word takes the speaker of the turn it overlaps most
 * (the nearest close turn when it falls in a gap between turns), and a diarized transcript's segments are speaker
 * blocks — a new block on every change of speaker or after a pause longer than `gapS`.
 */
import type { Segment, Word } from '../audio/types.ts'
import { joinWords } from '../audio/words.ts'
import type { GlobalTurn } from '../speakers/link.ts'

/** The earlier version's block break: a pause longer than this starts a new block. */
export const BLOCK_GAP_S = 1.5

/**
 * `words` with `speaker` set from `turns` (same clock): the turn covering most of the word, else
 * the nearest turn within `NEAR_S`, else the speaker of the word before (the diarizer heard no
 * voice there, and speech runs on). Words stay unlabelled when there are no turns.
 */
export function assignSpeakers(words: readonly Word[], turns: readonly GlobalTurn[]): Word[] {
  if (turns.length === 0) return [...words]
  const sorted = [...turns].sort((a, b) => a.start - b.start)
  const longest = sorted.reduce((m, t) => Math.max(m, t.end - t.start), 0)
  let previous: string | undefined
  return words.map((w) => {
    const speaker = speakerAt(w, sorted, longest) ?? previous ?? nearest(w, sorted)
    previous = speaker
    return { ...w, speaker }
  })
}

/** Turns this far from a word (in seconds) still claim it when none overlaps it. */
export const NEAR_S = 0.5

function speakerAt(w: Word, turns: readonly GlobalTurn[], longest: number): string | undefined {
  let best: { score: number; speaker: string } | undefined
  // Only turns starting after this can reach the word: a binary search skips the rest.
  for (let i = firstStartingAfter(turns, w.start - longest - NEAR_S); i < turns.length; i++) {
    const t = turns[i] as GlobalTurn
    if (t.start > w.end + NEAR_S) break
    const overlap = Math.min(w.end, t.end) - Math.max(w.start, t.start)
    // Overlap wins; otherwise the gap to the turn counts against it.
    const score = overlap > 0 ? overlap : -Math.max(t.start - w.end, w.start - t.end)
    if (score >= -NEAR_S && (!best || score > best.score)) best = { score, speaker: t.speaker }
  }
  return best?.speaker
}

function nearest(w: Word, turns: readonly GlobalTurn[]): string {
  const mid = (w.start + w.end) / 2
  const gap = (t: GlobalTurn) => Math.max(t.start - mid, mid - t.end, 0)
  return turns.reduce((a, b) => (gap(b) < gap(a) ? b : a)).speaker
}

function firstStartingAfter(turns: readonly GlobalTurn[], t: number): number {
  let lo = 0
  let hi = turns.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((turns[mid] as GlobalTurn).start < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Speaker blocks from time-ordered, labelled words. */
export function speakerBlocks(words: readonly Word[], gapS = BLOCK_GAP_S): Segment[] {
  const blocks: Word[][] = []
  for (const w of words) {
    const current = blocks.at(-1)
    const last = current?.at(-1)
    if (current && last && last.speaker === w.speaker && w.start - last.end <= gapS) current.push(w)
    else blocks.push([w])
  }
  return blocks.map((b, id) => ({
    id,
    start: b[0]!.start,
    end: b.at(-1)!.end,
    text: joinWords(b),
    ...(b[0]!.speaker !== undefined ? { speaker: b[0]!.speaker } : {}),
    words: b,
  }))
}

/**
 * Renames speakers `Speaker_0`, `Speaker_1`, … in the order they first speak, so labels read the
 * same however the diarizer happened to number them.
 */
export function numberSpeakers(words: readonly Word[]): { words: Word[]; speakers: string[] } {
  const names = new Map<string, string>()
  for (const w of words)
    if (w.speaker !== undefined && !names.has(w.speaker)) names.set(w.speaker, `Speaker_${names.size}`)
  return {
    words: words.map((w) => (w.speaker === undefined ? w : { ...w, speaker: names.get(w.speaker) })),
    speakers: [...names.values()],
  }
}
