/**
 * Bled-word removal. The ASR on the mic channel also hears the far side leaking in, and writes it
 * down as if the user had said it. A mic word is dropped when the gate saw mostly bleed under it
 * AND the far side said (nearly) the same word at (nearly) the same time. Words over the user's
 * own voice stay, even when they match: people do repeat each other in double talk.
 */
import type { Word } from '../audio/types.ts'
import { type Gate, labelCounts } from './gate.ts'

/** A word as label-merge needs it: the audio pipeline's Word without the labels it will set. */
export type TimedWord = Pick<Word, 'word' | 'start' | 'end' | 'confidence'>

export interface DroppedWord<W extends TimedWord> {
  word: W
  /** The far-side word it repeats. */
  echoOf: TimedWord
  similarity: number
}

export interface DedupOptions {
  /** The estimated bleed delay, seconds. */
  delayS: number
  /** Slack around the delay for ASR timing, seconds. */
  slackS?: number
  minSimilarity?: number
}

/** Lowercase, without punctuation or symbols: how a word is compared. */
export const normalizeToken = (word: string) =>
  word
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\p{P}\p{S}\s]+/gu, '')

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost))
    }
    prev = row
  }
  return prev[b.length] as number
}

/** 1 for the same token, 0 for nothing in common; two empty tokens (pure punctuation) match. */
export function tokenSimilarity(a: string, b: string): number {
  const x = normalizeToken(a)
  const y = normalizeToken(b)
  const longest = Math.max(x.length, y.length)
  return longest === 0 ? 1 : 1 - levenshtein(x, y) / longest
}

/** Share of the word's sounding frames that the gate called bleed (1 when nothing of the user's own is under it). */
export function bleedShare(gate: Gate, word: TimedWord): number {
  const c = labelCounts(gate, word.start, word.end)
  const sounding = c.bleed + c.self + c.double_talk
  return sounding === 0 ? 1 : c.bleed / sounding
}

export function removeBledWords<W extends TimedWord>(
  micWords: readonly W[],
  systemWords: readonly TimedWord[],
  gate: Gate,
  opts: DedupOptions,
): { kept: W[]; dropped: DroppedWord<W>[] } {
  const window = opts.delayS + (opts.slackS ?? 0.5)
  const minSimilarity = opts.minSimilarity ?? 0.8
  const far = [...systemWords].sort((a, b) => a.start - b.start)
  const longest = far.reduce((max, w) => Math.max(max, w.end - w.start), 0)
  const kept: W[] = []
  const dropped: DroppedWord<W>[] = []
  for (const word of micWords) {
    const echo = bleedShare(gate, word) > 0.5 ? bestEcho(word, far, window, longest) : null
    if (echo && echo.similarity >= minSimilarity) dropped.push({ word, ...echo })
    else kept.push(word)
  }
  return { kept, dropped }
}

/** The most similar far-side word within ±window of the mic word (`far` sorted by start). */
function bestEcho(word: TimedWord, far: readonly TimedWord[], window: number, longest: number) {
  let best: { echoOf: TimedWord; similarity: number } | null = null
  // No word starting before this can reach the window: a long call is searched, not scanned.
  for (let i = firstStartingAt(far, word.start - window - longest); i < far.length; i++) {
    const f = far[i] as TimedWord
    if (f.start > word.end + window) break
    if (f.end < word.start - window) continue
    const similarity = tokenSimilarity(word.word, f.word)
    if (!best || similarity > best.similarity) best = { echoOf: f, similarity }
  }
  return best
}

function firstStartingAt(sorted: readonly TimedWord[], s: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as TimedWord).start < s) lo = mid + 1
    else hi = mid
  }
  return lo
}
