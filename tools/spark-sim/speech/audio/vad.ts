/**
 * Energy voice-activity detection over analysed frames. The threshold adapts to the recording's
 * noise floor (low percentile of frame levels) so quiet and loud files both work, with a floor so
 * digital silence (espeak, padded chunks) does not make every faint click "speech".
 */
import { FRAME_S, type Frames, HOP, SAMPLE_RATE, WIN } from './features.ts'

export interface SpeechSegment {
  start: number
  end: number
  /** Frame index range [first, last] inclusive. */
  first: number
  last: number
}

export interface VadOptions {
  /** Gaps shorter than this join two regions (word and clause pauses are not turns). */
  minSilenceS?: number
  /** Regions shorter than this are clicks, not speech. */
  minSpeechS?: number
  /** Padding added around each region, as real VADs do to keep onsets. */
  padS?: number
}

const percentile = (values: Float32Array, p: number) => {
  const sorted = Float32Array.from(values).sort()
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -100
}

export function speechThresholdDb(frames: Frames): number {
  if (frames.count === 0) return 0
  const floor = percentile(frames.db, 0.1)
  const peak = percentile(frames.db, 0.98)
  // 12 dB over the floor, at least -50 dBFS, but never so close to the peak that soft consonants
  // and quieter speakers vanish in a file that is nearly all speech.
  // …and never below -55 dBFS, so a silent or near-silent file has no speech at all.
  return Math.max(Math.min(Math.max(floor + 12, -50), peak - 25), -55)
}

/**
 * Speech moves its spectrum and its level all the time (syllables rise and fall by well over 6 dB);
 * a tone, hum or steady noise does neither. A region whose spectral centroid barely varies, or whose
 * level stays within a few dB, is dropped, so tone- and noise-only files transcribe to nothing.
 */
function isStationary(frames: Frames, first: number, last: number, threshold: number): boolean {
  let n = 0
  let sum = 0
  let sq = 0
  const levels: number[] = []
  for (let i = first; i <= last; i++) {
    if (frames.db[i]! < threshold || frames.centroid[i]! <= 0) continue
    const l = Math.log2(frames.centroid[i]!)
    n++
    sum += l
    sq += l * l
    levels.push(frames.db[i]!)
  }
  if (n < 2) return true
  const mean = sum / n
  if (Math.sqrt(Math.max(0, sq / n - mean * mean)) < 0.08) return true
  levels.sort((a, b) => a - b)
  const spread = levels[Math.floor(levels.length * 0.9)]! - levels[Math.floor(levels.length * 0.1)]!
  return spread < MIN_LEVEL_SPREAD_DB
}

// Measured p90 − p10 of frame levels: white, pink and brown noise 1–4 s ≤ 6.0 dB over 150 files;
// single espeak words and phrases (5 voices) ≥ 11.5 dB. The cut sits between them.
const MIN_LEVEL_SPREAD_DB = 9

/** Centre time of a frame's hop, the instant a frame's decision is about. */
const frameTime = (i: number) => (i * HOP + WIN / 2) / SAMPLE_RATE

export function detectSpeech(frames: Frames, options: VadOptions = {}): SpeechSegment[] {
  const minSilence = options.minSilenceS ?? 0.5
  const minSpeech = options.minSpeechS ?? 0.15
  const pad = options.padS ?? 0.05
  const threshold = speechThresholdDb(frames)
  const regions: Array<[number, number]> = []
  let open = -1
  for (let i = 0; i < frames.count; i++) {
    const speech = frames.db[i]! >= threshold
    if (speech && open < 0) open = i
    if (!speech && open >= 0) {
      regions.push([open, i - 1])
      open = -1
    }
  }
  if (open >= 0) regions.push([open, frames.count - 1])

  const merged: Array<[number, number]> = []
  for (const r of regions) {
    const prev = merged[merged.length - 1]
    if (prev && (r[0] - prev[1] - 1) * FRAME_S < minSilence) prev[1] = r[1]
    else merged.push([r[0], r[1]])
  }
  return merged
    .filter(([a, b]) => (b - a + 1) * FRAME_S >= minSpeech && !isStationary(frames, a, b, threshold))
    .map(([first, last]) => ({
      first,
      last,
      start: round3(Math.max(0, frameTime(first) - FRAME_S / 2 - pad)),
      end: round3(Math.min(frames.durationS, frameTime(last) + FRAME_S / 2 + pad)),
    }))
}

export const round3 = (x: number) => Math.round(x * 1000) / 1000
