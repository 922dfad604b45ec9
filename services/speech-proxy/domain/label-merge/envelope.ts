/**
 * Frame energy of a channel, the common ground of the bleed estimate and the gate: 20 ms frames
 * every 10 ms over 16 kHz mono PCM, in dB relative to full scale. Frame `i` covers
 * `[i·hop, i·hop + frame)`, so its time is `i · hopS`.
 */

export const SAMPLE_RATE = 16_000
export const FRAME_S = 0.02
export const HOP_S = 0.01
/** What digital silence reads as: low enough to sit under any real noise floor, finite for arithmetic. */
export const SILENCE_DB = -100

export interface Envelope {
  hopS: number
  /** One value per frame, dBFS, never below SILENCE_DB. */
  db: Float32Array
}

export interface EnvelopeOptions {
  sampleRate?: number
  frameS?: number
  hopS?: number
}

export function energyEnvelope(pcm: Float32Array, opts: EnvelopeOptions = {}): Envelope {
  const builder = createEnvelopeBuilder(opts)
  builder.push(pcm)
  return builder.finish()
}

export interface EnvelopeBuilder {
  /** The next samples of the channel, in order, in pieces of any size. */
  push(pcm: Float32Array): void
  finish(): Envelope
}

/**
 * The envelope of a channel read in windows: a two-hour call is ~460 MB of float samples but
 * only ~3 MB of envelope, so the samples never have to be held at once.
 */
export function createEnvelopeBuilder(opts: EnvelopeOptions = {}): EnvelopeBuilder {
  const rate = opts.sampleRate ?? SAMPLE_RATE
  const hopS = opts.hopS ?? HOP_S
  const hop = Math.round(hopS * rate)
  const frame = Math.round((opts.frameS ?? FRAME_S) * rate)
  const floorPower = 10 ** (SILENCE_DB / 10)
  const db: number[] = []
  // Squares of the samples not yet fully framed; the next frame starts at `pending[0]`.
  let pending = new Float64Array(0)
  let seen = 0
  const toDb = (sum: number, n: number) => 10 * Math.log10(Math.max(floorPower, sum / Math.max(1, n)))
  return {
    push(pcm) {
      seen += pcm.length
      // Running sums of squares: each frame's energy is one subtraction, however long the frame.
      const sums = new Float64Array(pending.length + pcm.length + 1)
      for (let i = 0; i < pending.length; i++) sums[i + 1] = (sums[i] as number) + (pending[i] as number)
      for (let i = 0, o = pending.length; i < pcm.length; i++, o++) {
        const v = pcm[i] as number
        sums[o + 1] = (sums[o] as number) + v * v
      }
      const total = sums.length - 1
      let from = 0
      for (; from + frame <= total; from += hop)
        db.push(toDb((sums[from + frame] as number) - (sums[from] as number), frame))
      pending = Float64Array.from(
        { length: total - from },
        (_, i) => (sums[from + i + 1] as number) - (sums[from + i] as number),
      )
    },
    finish() {
      // A channel shorter than one frame still gets one value.
      if (db.length === 0 && seen > 0)
        db.push(
          toDb(
            pending.reduce((a, b) => a + b, 0),
            pending.length,
          ),
        )
      return { hopS, db: Float32Array.from(db) }
    },
  }
}

/** Resolution of `percentile`: finer than any threshold the gate uses. */
const PERCENTILE_STEP_DB = 0.05

/**
 * The dB value below which `share` of the frames lie, to 0.05 dB. Counted in a histogram rather
 * than sorted: a two-hour envelope is 720 000 frames and this runs several times per request.
 */
export function percentile(values: ArrayLike<number>, share: number): number {
  if (values.length === 0) return SILENCE_DB
  let max = SILENCE_DB
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number)
  const bins = new Uint32Array(Math.ceil((max - SILENCE_DB) / PERCENTILE_STEP_DB) + 1)
  for (let i = 0; i < values.length; i++) {
    const bin = Math.round((Math.max(SILENCE_DB, values[i] as number) - SILENCE_DB) / PERCENTILE_STEP_DB)
    bins[bin] = (bins[bin] as number) + 1
  }
  const rank = Math.min(values.length - 1, Math.max(0, Math.round(share * (values.length - 1))))
  let seen = 0
  for (let b = 0; b < bins.length; b++) {
    seen += bins[b] as number
    if (seen > rank) return SILENCE_DB + b * PERCENTILE_STEP_DB
  }
  return max
}

export interface Activity {
  /** The channel's noise floor: a low percentile of its frames. */
  floorDb: number
  /** Frames above this carry sound (speech or bleed), not just the floor. */
  thresholdDb: number
}

/**
 * Where a channel counts as active: clearly above its own floor, and not so far below its loudest
 * speech that it is only hiss (a very clean channel's floor is digital silence, which would make
 * any dither "active").
 */
export function activity(
  env: Envelope,
  opts: { aboveFloorDb?: number; belowPeakDb?: number } = {},
): Activity {
  const floorDb = percentile(env.db, 0.05)
  const peakDb = percentile(env.db, 0.99)
  const thresholdDb = Math.max(floorDb + (opts.aboveFloorDb ?? 10), peakDb - (opts.belowPeakDb ?? 50))
  return { floorDb, thresholdDb }
}

/** The frame whose start is nearest to `s` seconds (may be outside the envelope). */
export const frameAt = (s: number, hopS = HOP_S) => Math.round(s / hopS)
