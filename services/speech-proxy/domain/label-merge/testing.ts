/**
 * What the label-merge tests share: the stereo call fixture read into envelopes, and words laid
 * over its ground-truth lines the way an ASR would time them (each word gets a share of its line
 * by length).
 */
import { seededRandom } from '../../../../shared/random.ts'
import { type CallFixture, stereoCall, type TruthLine } from '../../../../tests/fixtures/audio/fixtures.ts'
import { readPcm16k } from '../../adapters/ffmpeg.ts'
import type { Span } from './bleed.ts'
import type { TimedWord } from './dedup.ts'
import { type Envelope, energyEnvelope } from './envelope.ts'

export interface CallEnvelopes {
  call: CallFixture
  mic: Envelope
  system: Envelope
}

export async function callEnvelopes(): Promise<CallEnvelopes> {
  const call = await stereoCall()
  return {
    call,
    mic: energyEnvelope(await readPcm16k(call.micPath)),
    system: energyEnvelope(await readPcm16k(call.systemPath)),
  }
}

/** The line's words spread over its time, each by its length, `shiftS` later (a bleed delay). */
export function wordsOf(line: TruthLine, shiftS = 0): TimedWord[] {
  const tokens = line.text.split(/\s+/)
  const weight = tokens.reduce((sum, t) => sum + t.length + 1, 0)
  const span = line.end - line.start
  let at = line.start + shiftS
  return tokens.map((word) => {
    const dur = (span * (word.length + 1)) / weight
    const w = { word, start: at, end: at + dur * 0.9 }
    at += dur
    return w
  })
}

export interface SyntheticCall {
  mic: Float32Array
  system: Float32Array
  /** Where the user talks (on the mic), and where the far side does (on the system track). */
  selfTurns: Span[]
  farTurns: Span[]
}

/**
 * Syllable-like noise bursts (random lengths, gaps and levels) for each side's turns; the mic is
 * the user plus the far side `delayS` late at `gainDb`, over a faint noise floor.
 */
export function syntheticCall(opts: { delayS: number; gainDb: number; seed?: number }): SyntheticCall {
  const random = seededRandom(opts.seed ?? 1)
  const rate = 16_000
  const seconds = 40
  const farTurns = [
    { start: 1, end: 6 },
    { start: 10, end: 16 },
    { start: 21, end: 27 },
    { start: 32, end: 38 },
  ]
  const selfTurns = [
    { start: 6.5, end: 9.5 },
    { start: 15, end: 20 },
    { start: 28, end: 31.5 },
  ]
  const system = talk(farTurns, rate * seconds, random)
  const near = talk(selfTurns, rate * seconds, random)
  const delay = Math.round(opts.delayS * rate)
  const gain = 10 ** (opts.gainDb / 20)
  const mic = near.map((v, i) => v + gain * (system[i - delay] ?? 0) + 0.0002 * (random() - 0.5))
  return { mic, system, selfTurns, farTurns }
}

function talk(turns: Span[], length: number, random: () => number): Float32Array {
  const out = new Float32Array(length)
  for (const turn of turns) {
    let at = turn.start
    while (at < turn.end) {
      const dur = Math.min(turn.end - at, 0.08 + random() * 0.17)
      const level = 0.05 + random() * 0.3
      const from = Math.round(at * 16_000)
      const to = Math.round((at + dur) * 16_000)
      // A raised-cosine burst of noise: onsets and decays like a syllable's.
      for (let i = from; i < to; i++) {
        const shape = Math.sin((Math.PI * (i - from)) / (to - from))
        out[i] = level * shape * (random() * 2 - 1)
      }
      at += dur + 0.03 + random() * 0.12
    }
  }
  return out
}
