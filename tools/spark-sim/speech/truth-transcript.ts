/**
 * Words for one stretch of detected speech: registered ground-truth lines where the audio matches
 * one (truth-match.ts), placeholder words (audio/lexicon.ts) for speech that matches nothing.
 */
import { seededRandom } from '../../../shared/random.ts'
import { FRAME_S, type Frames } from './audio/features.ts'
import { audioHash, lexiconWord, spreadWords, type TimedWord } from './audio/lexicon.ts'
import { frameCodes } from './audio/signature.ts'
import type { SpeechSegment } from './audio/vad.ts'
import { matchLines, type TruthIndex } from './truth-match.ts'

/** Unmatched speech shorter than this (0.3 s) inside a stretch is a breath or a tail, not words. */
const MIN_UNMATCHED_FRAMES = 15
const MIN_UNMATCHED_LOUD_FRAMES = 8

interface Piece {
  /** Frames of the whole file, inclusive. */
  first: number
  last: number
  /** Ground-truth words, or undefined where placeholder words are to be made. */
  words?: TimedWord[]
}

/**
 * Recognition errors, seeded by the audio: each word is misheard with probability `rate`, a third of
 * them dropped, the rest replaced by a lexicon word (keeping the word's punctuation).
 */
function mishear(words: TimedWord[], rate: number, seed: string): TimedWord[] {
  if (rate <= 0) return words
  const rand = seededRandom(parseInt(seed.slice(0, 8), 16))
  return words.flatMap((w) => {
    if (rand() >= rate) return [w]
    if (rand() < 1 / 3) return []
    return [{ ...w, word: lexiconWord(rand) + (w.word.match(/[.,?!;:]+$/)?.[0] ?? '') }]
  })
}

/**
 * Splits `speech` into matched lines (with their words, timed over where the line sits in this
 * audio and cut to what the audio holds) and unmatched runs, in time order.
 */
export function truthPieces(
  frames: Frames,
  speech: SpeechSegment,
  index: TruthIndex,
  thresholdDb: number,
  wordErrorRate = 0,
) {
  const query = frameCodes(frames, speech.first, speech.last)
  const { matches, owner } = matchLines(index, query)
  const pieces: Piece[] = matches.map((m, n) => {
    // Where the line's first word starts in this audio, from where its codes begin in the source.
    const start = (speech.first + m.offset) * FRAME_S + (m.line.start - m.line.codeStartS)
    const all = spreadWords(
      m.line.text.split(/\s+/).filter(Boolean),
      start,
      start + m.line.end - m.line.start,
    )
    const words = all
      .filter((w) => {
        const mid = (w.start + w.end) / 2
        const k = Math.floor(mid / FRAME_S) - speech.first
        return mid >= 0 && mid <= frames.durationS && owner[k] === n
      })
      .map((w) => ({ ...w, start: Math.max(0, w.start), end: Math.min(round2(frames.durationS), w.end) }))
    const first = speech.first + m.first
    const last = speech.first + m.last
    return { first, last, words: mishear(words, wordErrorRate, audioHash(frames, first, last)) }
  })
  let run = -1
  for (let k = 0; k <= owner.length; k++) {
    const free = k < owner.length && owner[k] === -1
    if (free && run < 0) run = k
    if (!free && run >= 0) {
      let loud = 0
      for (let i = run; i < k; i++) if (frames.db[speech.first + i]! >= thresholdDb) loud++
      if (k - run >= MIN_UNMATCHED_FRAMES && loud >= MIN_UNMATCHED_LOUD_FRAMES)
        pieces.push({ first: speech.first + run, last: speech.first + k - 1 })
      run = -1
    }
  }
  return pieces.filter((p) => !p.words || p.words.length > 0).sort((a, b) => a.first - b.first)
}

const round2 = (x: number) => Math.round(x * 100) / 100
