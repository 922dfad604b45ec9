/**
 * The simulated transcript. No ASR model runs here, so the words are placeholders — but honest ones:
 * their number follows the real speech duration (~2.5 words/s, conversational English), their timing
 * spans the real speech segment, and they are seeded from a hash of the segment's audio, so the same
 * audio always gives the same words and different audio gives different words.
 */
import { createHash } from 'node:crypto'
import { seededRandom } from '../../../../shared/random.ts'
import type { Frames } from './features.ts'

export const WORDS_PER_SECOND = 2.5

const LEXICON = (
  'the team will review the numbers for next quarter and we should plan a short meeting about it ' +
  'customers asked for faster delivery so the project needs one more week of testing before release ' +
  'please send me the latest report when you have a moment because finance wants an update today ' +
  'our cluster handles speech models and language models while the storage layer keeps every file ' +
  'I think that sounds reasonable but let us check the budget first and then decide together ' +
  'morning afternoon evening meeting agenda summary question answer problem solution schedule ' +
  'design budget contract invoice partner market product service support account network server ' +
  'model voice audio transcript recording channel speaker minute second hour week month year ' +
  'good great simple clear ready early late quick careful important possible different available'
)
  .split(' ')
  .filter((w, i, all) => w.length > 0 && all.indexOf(w) === i)

/** A lexicon word drawn with `rand`: what a misheard word turns into. */
export const lexiconWord = (rand: () => number) => LEXICON[Math.floor(rand() * LEXICON.length)]!

/** sha256 over the per-hop sample hashes of frames [first, last]: a digest of that stretch of audio. */
export function audioHash(frames: Frames, first: number, last: number): string {
  const slice = frames.hash.slice(first, last + 1)
  return createHash('sha256').update(new Uint8Array(slice.buffer)).digest('hex')
}

export interface TimedWord {
  word: string
  start: number
  end: number
}

const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Words for one speech segment, with timestamps spread over it in proportion to word length (long
 * words take longer to say) and a small gap between words.
 */
export function simulatedWords(seedHex: string, start: number, end: number): TimedWord[] {
  const rand = seededRandom(parseInt(seedHex.slice(0, 8), 16))
  const duration = Math.max(0, end - start)
  const count = Math.max(1, Math.round(duration * WORDS_PER_SECOND))
  const words: string[] = []
  let sinceStop = 0
  for (let i = 0; i < count; i++) {
    let w = lexiconWord(rand)
    if (sinceStop === 0) w = w[0]!.toUpperCase() + w.slice(1)
    sinceStop++
    const last = i === count - 1
    // Sentences of 5-13 words, so segment text reads like Parakeet's punctuated output.
    if (last || (sinceStop >= 5 && rand() < 0.18)) {
      w += last || rand() < 0.8 ? '.' : '?'
      sinceStop = 0
    } else if (sinceStop >= 3 && rand() < 0.08) w += ','
    words.push(w)
  }
  return spreadWords(words, start, end)
}

/**
 * Times for words said between `start` and `end`: each gets a share in proportion to its length
 * (long words take longer to say) and ends a little before the next begins.
 */
export function spreadWords(words: string[], start: number, end: number): TimedWord[] {
  const duration = Math.max(0, end - start)
  const weights = words.map((w) => w.replace(/[.,?!;:]/g, '').length + 2)
  const total = weights.reduce((a, b) => a + b, 0)
  const out: TimedWord[] = []
  let t = start
  for (let i = 0; i < words.length; i++) {
    const span = (duration * weights[i]!) / total
    out.push({ word: words[i]!, start: round2(t), end: round2(t + span * 0.9) })
    t += span
  }
  return out
}

/** Joins words the way the speech proxy must: single spaces, punctuation stays attached. */
export const joinWords = (words: TimedWord[]) => words.map((w) => w.word).join(' ')
