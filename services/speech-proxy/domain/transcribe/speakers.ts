/**
 * Words meet diarizer turns: each word takes the speaker of the turn it overlaps most (the nearest
 * turn when it falls in a gap between turns), and a diarized transcript's segments are speaker
 * blocks — a new block on every change of speaker or after a pause longer than `gapS`.
 */
import type { Segment, Word } from '../audio/types.ts'
import { joinWords } from '../audio/words.ts'
import type { DiarizedTurn } from '../speakers/types.ts'

/** The earlier version's block break: a pause longer than this starts a new block. */
export const BLOCK_GAP_S = 1.5

/** `words` with `speaker` set from `turns` (same clock); words stay unlabelled when there are no turns. */
export function assignSpeakers(words: readonly Word[], turns: readonly DiarizedTurn[]): Word[] {
  if (turns.length === 0) return [...words]
  return words.map((w) => ({ ...w, speaker: speakerAt(w, turns) }))
}

function speakerAt(w: Word, turns: readonly DiarizedTurn[]): string {
  let best: { score: number; speaker: string } | null = null
  const mid = (w.start + w.end) / 2
  for (const t of turns) {
    const overlap = Math.min(w.end, t.end_s) - Math.max(w.start, t.start_s)
    // Overlap wins; otherwise the distance to the turn counts against it.
    const score = overlap > 0 ? overlap : -Math.min(Math.abs(mid - t.start_s), Math.abs(mid - t.end_s))
    if (!best || score > best.score) best = { score, speaker: t.speaker }
  }
  return (best as { speaker: string }).speaker
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
