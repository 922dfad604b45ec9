/**
 * Frame-level acoustic analysis of 16 kHz mono PCM, fed incrementally so decoded audio is never
 * held whole: per 20 ms hop we keep only a few numbers (level, pitch, spectral centroid, a coarse
 * log spectrum and a hash of the samples). VAD, speaker clustering, fingerprints and the simulated
 * words are all computed from these.
 */
export const SAMPLE_RATE = 16_000
export const HOP = 320 // 20 ms
export const WIN = 640 // 40 ms: two periods of a 50 Hz voice still fit
export const BANDS = 32
export const FRAME_S = HOP / SAMPLE_RATE
const FFT_N = 512
const BAND_LO_HZ = 100
const BAND_HI_HZ = 7800
const SILENCE_DB = -100
// Below this level a frame cannot be speech, so pitch and spectrum are not worth computing.
const ANALYSE_DB = -60

export interface Frames {
  count: number
  durationS: number
  db: Float32Array
  /** Fundamental frequency in Hz, 0 where unvoiced. */
  f0: Float32Array
  centroid: Float32Array
  /** `count * BANDS` log10 band energies. */
  bands: Float32Array
  /** FNV-1a of each hop's samples; segment hashes are built from these. */
  hash: Uint32Array
}

class Grow {
  data: Float32Array
  constructor(public width = 1) {
    this.data = new Float32Array(1024 * width)
  }
  ensure(frames: number) {
    if (frames * this.width <= this.data.length) return
    const next = new Float32Array(Math.max(this.data.length * 2, frames * this.width))
    next.set(this.data)
    this.data = next
  }
}

// Band edges over FFT bins, log-spaced because voices differ by ratios (formant scaling), not offsets.
const BAND_EDGES = Array.from({ length: BANDS + 1 }, (_, i) => {
  const hz = BAND_LO_HZ * (BAND_HI_HZ / BAND_LO_HZ) ** (i / BANDS)
  return Math.round((hz / SAMPLE_RATE) * FFT_N)
})
const HANN = Float64Array.from(
  { length: FFT_N },
  (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (FFT_N - 1)),
)

// Twiddle factors for FFT_N, computed once: trig calls per butterfly dominated the analysis time.
const TWIDDLE_RE = Float64Array.from({ length: FFT_N / 2 }, (_, k) => Math.cos((-2 * Math.PI * k) / FFT_N))
const TWIDDLE_IM = Float64Array.from({ length: FFT_N / 2 }, (_, k) => Math.sin((-2 * Math.PI * k) / FFT_N))

/** In-place iterative radix-2 FFT of length FFT_N. */
function fft(re: Float64Array, im: Float64Array) {
  const n = re.length
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      ;[re[i], re[j]] = [re[j]!, re[i]!]
      ;[im[i], im[j]] = [im[j]!, im[i]!]
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const stride = n / len
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = TWIDDLE_RE[k * stride]!
        const wi = TWIDDLE_IM[k * stride]!
        const a = i + k
        const b = a + len / 2
        const xr = re[b]! * wr - im[b]! * wi
        const xi = re[b]! * wi + im[b]! * wr
        re[b] = re[a]! - xr
        im[b] = im[a]! - xi
        re[a] = re[a]! + xr
        im[a] = im[a]! + xi
      }
    }
  }
}

/**
 * Pitch by normalised autocorrelation on a 2× decimated frame. Picks the shortest lag whose peak is
 * close to the best one, which avoids the classic octave-down error.
 */
export function estimatePitch(x: Float64Array): number {
  const n = x.length >> 1
  const y = new Float64Array(n)
  let mean = 0
  for (let i = 0; i < n; i++) {
    y[i] = (x[2 * i]! + x[2 * i + 1]!) / 2
    mean += y[i]!
  }
  mean /= n
  for (let i = 0; i < n; i++) y[i]! -= mean
  const sr = SAMPLE_RATE / 2
  const minLag = Math.floor(sr / 500)
  const maxLag = Math.min(Math.ceil(sr / 60), n - 40)
  // Prefix sums of squares give each lag's two energies in O(1); only the cross term is a loop.
  const sq = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) sq[i + 1] = sq[i]! + y[i]! * y[i]!
  const r = new Float64Array(maxLag + 2)
  let best = 0
  for (let lag = minLag; lag <= maxLag + 1; lag++) {
    let xy = 0
    for (let i = 0; i + lag < n; i++) xy += y[i]! * y[i + lag]!
    const xx = sq[n - lag]!
    const yy = sq[n]! - sq[lag]!
    r[lag] = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0
    if (lag <= maxLag) best = Math.max(best, r[lag]!)
  }
  if (best < 0.5) return 0
  for (let lag = minLag + 1; lag <= maxLag; lag++) {
    const v = r[lag]!
    if (v >= 0.9 * best && v >= r[lag - 1]! && v >= r[lag + 1]!) {
      // Parabolic interpolation around the peak for sub-sample lag precision.
      const a = r[lag - 1]!
      const c = r[lag + 1]!
      const denom = a - 2 * v + c
      const shift = denom !== 0 ? (0.5 * (a - c)) / denom : 0
      return sr / (lag + Math.max(-0.5, Math.min(0.5, shift)))
    }
  }
  return 0
}

/**
 * Autocorrelation locks onto harmonics in noisy frames now and then (an isolated 400 Hz reading in
 * a 100 Hz voice); a reading far from the median of its voiced neighbours is dropped as unvoiced.
 */
export function removePitchOutliers(f0: Float32Array, radius = 5, maxOctaves = 0.4): Float32Array {
  const out = Float32Array.from(f0)
  for (let i = 0; i < f0.length; i++) {
    if (f0[i]! <= 0) continue
    const around: number[] = []
    for (let j = Math.max(0, i - radius); j <= Math.min(f0.length - 1, i + radius); j++)
      if (f0[j]! > 0) around.push(f0[j]!)
    if (around.length < 3) continue
    around.sort((a, b) => a - b)
    const median = around[around.length >> 1]!
    if (Math.abs(Math.log2(f0[i]! / median)) > maxOctaves) out[i] = 0
  }
  return out
}

export class FrameAnalyzer {
  /** `pitch: false` leaves f0 at 0: pitch tracking is most of the cost and signatures do not use it. */
  constructor(private readonly options: { pitch?: boolean } = {}) {}

  private pending = new Int16Array(WIN * 8)
  private pendingLen = 0
  private carry: number | undefined
  private samples = 0
  private count = 0
  private db = new Grow()
  private f0 = new Grow()
  private centroid = new Grow()
  private bands = new Grow(BANDS)
  private hash = new Uint32Array(1024)
  private readonly re = new Float64Array(FFT_N)
  private readonly im = new Float64Array(FFT_N)
  private readonly win = new Float64Array(WIN)

  /** Accepts raw s16le bytes in any chunking (odd byte counts included). */
  pushBytes(bytes: Uint8Array) {
    let start = 0
    const parts: number[] = []
    if (this.carry !== undefined && bytes.length > 0) {
      parts.push((((bytes[0]! << 8) | this.carry) << 16) >> 16)
      this.carry = undefined
      start = 1
    }
    const usable = (bytes.length - start) & ~1
    const view = new DataView(bytes.buffer, bytes.byteOffset + start, usable)
    const out = new Int16Array(parts.length + usable / 2)
    out.set(parts)
    for (let i = 0; i < usable / 2; i++) out[parts.length + i] = view.getInt16(i * 2, true)
    if (start + usable < bytes.length) this.carry = bytes[bytes.length - 1]
    this.push(out)
  }

  push(pcm: Int16Array) {
    this.samples += pcm.length
    if (this.pendingLen + pcm.length > this.pending.length) {
      const next = new Int16Array(Math.max(this.pending.length * 2, this.pendingLen + pcm.length))
      next.set(this.pending.subarray(0, this.pendingLen))
      this.pending = next
    }
    this.pending.set(pcm, this.pendingLen)
    this.pendingLen += pcm.length
    let offset = 0
    while (this.pendingLen - offset >= WIN) {
      this.frame(this.pending.subarray(offset, offset + WIN))
      offset += HOP
    }
    this.pending.copyWithin(0, offset, this.pendingLen)
    this.pendingLen -= offset
  }

  finish(): Frames {
    // A trailing partial hop still carries sound; analyse it zero-padded rather than drop it.
    if (this.pendingLen > HOP / 2 || (this.count === 0 && this.pendingLen > 0)) {
      const last = new Int16Array(WIN)
      last.set(this.pending.subarray(0, this.pendingLen))
      this.frame(last)
    }
    const n = this.count
    return {
      count: n,
      durationS: this.samples / SAMPLE_RATE,
      db: this.db.data.slice(0, n),
      f0: removePitchOutliers(this.f0.data.slice(0, n)),
      centroid: this.centroid.data.slice(0, n),
      bands: this.bands.data.slice(0, n * BANDS),
      hash: this.hash.slice(0, n),
    }
  }

  private frame(pcm: Int16Array) {
    const i = this.count++
    for (const g of [this.db, this.f0, this.centroid, this.bands]) g.ensure(this.count)
    if (this.count > this.hash.length) {
      const next = new Uint32Array(this.hash.length * 2)
      next.set(this.hash)
      this.hash = next
    }
    let h = 0x811c9dc5
    for (let k = 0; k < HOP; k++) {
      h = Math.imul(h ^ (pcm[k]! & 0xff), 0x01000193)
      h = Math.imul(h ^ ((pcm[k]! >> 8) & 0xff), 0x01000193)
    }
    this.hash[i] = h >>> 0
    let energy = 0
    for (let k = 0; k < WIN; k++) {
      const v = pcm[k]! / 32768
      this.win[k] = v
      energy += v * v
    }
    const db = energy > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(energy / WIN)) : SILENCE_DB
    this.db.data[i] = db
    if (db < ANALYSE_DB) return
    if (this.options.pitch !== false) this.f0.data[i] = estimatePitch(this.win)
    const off = (WIN - FFT_N) >> 1
    for (let k = 0; k < FFT_N; k++) {
      this.re[k] = this.win[off + k]! * HANN[k]!
      this.im[k] = 0
    }
    fft(this.re, this.im)
    const power = this.re
    for (let k = 0; k <= FFT_N / 2; k++) power[k] = this.re[k]! ** 2 + this.im[k]! ** 2
    let weighted = 0
    let total = 0
    for (let k = BAND_EDGES[0]!; k < BAND_EDGES[BANDS]!; k++) {
      weighted += power[k]! * ((k * SAMPLE_RATE) / FFT_N)
      total += power[k]!
    }
    this.centroid.data[i] = total > 0 ? weighted / total : 0
    for (let b = 0; b < BANDS; b++) {
      let e = 0
      // Narrow low bands can round to zero bins; they borrow one so every band has a value.
      const lo = BAND_EDGES[b]!
      const hi = Math.max(lo + 1, BAND_EDGES[b + 1]!)
      for (let k = lo; k < hi; k++) e += power[k]!
      this.bands.data[i * BANDS + b] = Math.log10(e / (hi - lo) + 1e-12)
    }
  }
}
