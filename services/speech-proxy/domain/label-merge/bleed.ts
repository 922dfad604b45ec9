/**
 * How the far side leaks into the mic: a delay (the mic hears the loudspeaker a little late) and a
 * coupling gain (how much quieter it arrives). Both are read from the two energy envelopes alone,
 * so nothing about the room or the headset has to be known in advance.
 */
import { activity, type Envelope, frameAt } from './envelope.ts'

export interface Span {
  start: number
  end: number
}

export interface BleedEstimate {
  /** Seconds the mic lags the system track. */
  delayS: number
  /** Mic level minus system level where the mic only carries bleed, dB; null when never measurable. */
  couplingDb: number | null
  /** Normalised correlation of the envelopes at that delay (0…1): how clearly the bleed was seen. */
  correlation: number
  /** Frames the coupling was measured over. */
  frames: number
}

export interface BleedOptions {
  maxDelayS?: number
  /** The user's own speech, from the client's VAD on the mic: left out of the coupling. */
  selfVad?: readonly Span[]
}

const MIN_COUPLING_FRAMES = 20

export function estimateBleed(mic: Envelope, system: Envelope, opts: BleedOptions = {}): BleedEstimate {
  const hopS = mic.hopS
  const { lag, correlation } = bestLag(mic, system, frameAt(opts.maxDelayS ?? 0.5, hopS))
  const diffs = couplingSamples(mic, system, Math.round(lag), opts.selfVad)
  const couplingDb =
    diffs.length < MIN_COUPLING_FRAMES ? null : opts.selfVad ? median(diffs) : lowModeMedian(diffs)
  return { delayS: lag * hopS, couplingDb, correlation, frames: diffs.length }
}

/** Envelope values held at the channel's floor, so the noise under the floor cannot steer the match. */
function clamped(env: Envelope): Float64Array {
  const { floorDb } = activity(env)
  return Float64Array.from(env.db, (v) => Math.max(v, floorDb))
}

/**
 * The lag (in hops, refined between hops by a parabola) at which the mic envelope best follows the
 * system envelope. The user's own speech is uncorrelated with the far side, so it only adds noise.
 */
function bestLag(mic: Envelope, system: Envelope, maxLag: number): { lag: number; correlation: number } {
  const m = clamped(mic)
  const s = clamped(system)
  const scores: number[] = []
  for (let lag = 0; lag <= maxLag; lag++) scores.push(correlationAt(m, s, lag))
  let best = 0
  for (let i = 1; i < scores.length; i++) if ((scores[i] as number) > (scores[best] as number)) best = i
  return { lag: best + parabolicOffset(scores, best), correlation: Math.max(0, scores[best] ?? 0) }
}

/** Pearson correlation of mic[t + lag] with system[t] over the frames both have. */
function correlationAt(mic: Float64Array, system: Float64Array, lag: number): number {
  const n = Math.min(mic.length - lag, system.length)
  if (n < 2) return 0
  let sm = 0
  let ss = 0
  for (let t = 0; t < n; t++) {
    sm += mic[t + lag] as number
    ss += system[t] as number
  }
  const mm = sm / n
  const ms = ss / n
  let cov = 0
  let vm = 0
  let vs = 0
  for (let t = 0; t < n; t++) {
    const a = (mic[t + lag] as number) - mm
    const b = (system[t] as number) - ms
    cov += a * b
    vm += a * a
    vs += b * b
  }
  return vm > 0 && vs > 0 ? cov / Math.sqrt(vm * vs) : 0
}

function parabolicOffset(scores: number[], i: number): number {
  if (i <= 0 || i >= scores.length - 1) return 0
  const [a, b, c] = [scores[i - 1] as number, scores[i] as number, scores[i + 1] as number]
  const denom = a - 2 * b + c
  return denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0
}

const inSpans = (s: number, spans: readonly Span[], padS: number) =>
  spans.some((sp) => s >= sp.start - padS && s < sp.end + padS)

/** Mic minus (delayed) system level over frames where the far side is audible and the user is not talking. */
function couplingSamples(mic: Envelope, system: Envelope, lag: number, selfVad?: readonly Span[]): number[] {
  const sysActive = activity(system).thresholdDb
  const out: number[] = []
  for (let t = lag; t < mic.db.length && t - lag < system.db.length; t++) {
    const sys = system.db[t - lag] as number
    if (sys <= sysActive) continue
    if (selfVad && inSpans(t * mic.hopS, selfVad, 0.1)) continue
    out.push((mic.db[t] as number) - sys)
  }
  return out
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/**
 * Without a VAD the frames mix bleed (mic − system sits at the coupling, tightly) and the user's own
 * speech (far higher, spread out). The bleed is the lowest well-populated mode of the histogram;
 * the coupling is the median of the frames around it.
 */
export function lowModeMedian(diffs: readonly number[], halfWidthDb = 6): number {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const d of diffs) {
    min = Math.min(min, d)
    max = Math.max(max, d)
  }
  const lo = Math.floor(min)
  const bins = new Array<number>(Math.ceil(max) - lo + 1).fill(0)
  for (const d of diffs) bins[Math.floor(d) - lo] = (bins[Math.floor(d) - lo] as number) + 1
  const smooth = bins.map((_, i) => {
    let sum = 0
    for (let k = -2; k <= 2; k++) sum += (bins[i + k] ?? 0) * (3 - Math.abs(k))
    return sum
  })
  const top = smooth.reduce((a, b) => Math.max(a, b), 0)
  const isPeak = (i: number) =>
    (smooth[i] as number) >= 0.25 * top &&
    (smooth[i] as number) >= (smooth[i - 1] ?? 0) &&
    (smooth[i] as number) >= (smooth[i + 1] ?? 0)
  const mode = smooth.findIndex((_, i) => isPeak(i)) + lo + 0.5
  return median(diffs.filter((d) => Math.abs(d - mode) <= halfWidthDb))
}
