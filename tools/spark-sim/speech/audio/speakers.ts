/**
 * Simulated Sortformer + TitaNet: speakers come from the audio itself. Speech is cut into short
 * windows, each summarised by pitch, pitch spread, spectral centroid and spectral envelope; windows
 * are clustered by the cosine of their fingerprints (centroid linkage) into at most 4 speakers,
 * Sortformer's cap.
 *
 * Fingerprints are 192-d like TitaNet's. Each block is a Gaussian (RBF) encoding of one feature, so
 * the cosine of two fingerprints is a smooth function of how far apart the voices are: the same voice
 * in two chunks lands near 1, a male and a female voice near 0. A fixed orthogonal rotation then
 * spreads the blocks over all dimensions (cosines unchanged), so vectors look like embeddings.
 */
import { BANDS, FRAME_S, type Frames } from './features.ts'
import { round3, type SpeechSegment } from './vad.ts'

export const FINGERPRINT_DIM = 192
export const MAX_SPEAKERS = 4
/** Two windows at least this similar are the same voice. */
export const SAME_SPEAKER_SIMILARITY = 0.75
const MIN_VOICED_FRAMES = 8
const MAX_SEED_WINDOWS = 400

/** Additive sums, so a cluster's stats are the sum of its windows' stats. */
export interface VoiceStats {
  frames: number
  voiced: number
  logF0: number
  logF0Sq: number
  logCentroid: number
  bands: Float64Array
}

export const emptyStats = (): VoiceStats => ({
  frames: 0,
  voiced: 0,
  logF0: 0,
  logF0Sq: 0,
  logCentroid: 0,
  bands: new Float64Array(BANDS),
})

export function addStats(into: VoiceStats, s: VoiceStats): VoiceStats {
  into.frames += s.frames
  into.voiced += s.voiced
  into.logF0 += s.logF0
  into.logF0Sq += s.logF0Sq
  into.logCentroid += s.logCentroid
  for (let b = 0; b < BANDS; b++) into.bands[b]! += s.bands[b]!
  return into
}

export function statsOf(frames: Frames, first: number, last: number, thresholdDb: number): VoiceStats {
  const s = emptyStats()
  for (let i = first; i <= last; i++) {
    if (frames.db[i]! < thresholdDb || frames.centroid[i]! <= 0) continue
    s.frames++
    s.logCentroid += Math.log2(frames.centroid[i]!)
    for (let b = 0; b < BANDS; b++) s.bands[b]! += frames.bands[i * BANDS + b]!
    const f0 = frames.f0[i]!
    if (f0 > 0) {
      const l = Math.log2(f0)
      s.voiced++
      s.logF0 += l
      s.logF0Sq += l * l
    }
  }
  return s
}

function rbf(
  out: Float64Array,
  offset: number,
  size: number,
  value: number,
  lo: number,
  hi: number,
  sigma: number,
) {
  for (let k = 0; k < size; k++) {
    const centre = lo + ((hi - lo) * k) / (size - 1)
    out[offset + k] = Math.exp(-((value - centre) ** 2) / (2 * sigma * sigma))
  }
}

function normaliseBlock(v: Float64Array, offset: number, size: number, weight: number) {
  let n = 0
  for (let k = offset; k < offset + size; k++) n += v[k]! ** 2
  const scale = n > 0 ? weight / Math.sqrt(n) : 0
  for (let k = offset; k < offset + size; k++) v[k]! *= scale
}

// Seeded Householder reflections: an exactly orthogonal, deterministic mixing of the blocks.
const REFLECTIONS = (() => {
  let seed = 0x5eed1234
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
    return seed / 2 ** 32 - 0.5
  }
  return Array.from({ length: 6 }, () => {
    const u = Float64Array.from({ length: FINGERPRINT_DIM }, rand)
    const n = Math.sqrt(u.reduce((a, x) => a + x * x, 0))
    return u.map((x) => x / n)
  })
})()

export function fingerprint(s: VoiceStats): number[] {
  const v = new Float64Array(FINGERPRINT_DIM)
  const f0 = s.voiced > 0 ? s.logF0 / s.voiced : Math.log2(150)
  const spread = s.voiced > 1 ? Math.sqrt(Math.max(0, s.logF0Sq / s.voiced - f0 * f0)) : 0.2
  const centroid = s.frames > 0 ? s.logCentroid / s.frames : Math.log2(1500)
  rbf(v, 0, 64, f0, Math.log2(60), Math.log2(500), 0.12)
  rbf(v, 64, 64, centroid, Math.log2(300), Math.log2(5000), 0.35)
  // Spectral envelope shape: mean log band energy with its own mean removed (level-independent).
  if (s.frames > 0) {
    let mean = 0
    for (let b = 0; b < BANDS; b++) mean += s.bands[b]! / s.frames / BANDS
    for (let b = 0; b < BANDS; b++) v[128 + b] = s.bands[b]! / s.frames - mean
  }
  rbf(v, 160, 32, spread, 0, 0.6, 0.15)
  // Pitch is what tells voices apart most reliably, so it carries most of the weight; centroid and
  // pitch spread also move with what is being said, so they get wide kernels and little weight.
  normaliseBlock(v, 0, 64, Math.sqrt(0.6))
  normaliseBlock(v, 64, 64, Math.sqrt(0.15))
  normaliseBlock(v, 128, 32, Math.sqrt(0.15))
  normaliseBlock(v, 160, 32, Math.sqrt(0.1))
  for (const u of REFLECTIONS) {
    let dot = 0
    for (let k = 0; k < FINGERPRINT_DIM; k++) dot += u[k]! * v[k]!
    for (let k = 0; k < FINGERPRINT_DIM; k++) v[k]! -= 2 * dot * u[k]!
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1
  return Array.from(v, (x) => Math.round((x / norm) * 1e6) / 1e6)
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let k = 0; k < a.length; k++) {
    dot += a[k]! * b[k]!
    na += a[k]! ** 2
    nb += b[k]! ** 2
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0
}

export interface Turn {
  start: number
  end: number
  speaker: string
  confidence: number
}

export interface Diarization {
  turns: Turn[]
  speakers: string[]
  fingerprints: Record<string, number[]>
}

interface Window {
  segment: SpeechSegment
  first: number
  last: number
  stats: VoiceStats
  fp: number[]
  cluster: number
}

/** Splits speech into ~2 s windows (longer on long files, so clustering stays cheap). */
function windowsOf(frames: Frames, segments: SpeechSegment[], thresholdDb: number): Window[] {
  const speechFrames = segments.reduce((a, s) => a + s.last - s.first + 1, 0)
  const target = Math.max(100, Math.ceil(speechFrames / 300))
  const out: Window[] = []
  for (const segment of segments) {
    const len = segment.last - segment.first + 1
    const n = Math.max(1, Math.round(len / target))
    for (let w = 0; w < n; w++) {
      const first = segment.first + Math.floor((len * w) / n)
      const last = segment.first + Math.floor((len * (w + 1)) / n) - 1
      const stats = statsOf(frames, first, last, thresholdDb)
      out.push({ segment, first, last, stats, fp: fingerprint(stats), cluster: -1 })
    }
  }
  return out
}

export function diarize(frames: Frames, segments: SpeechSegment[], thresholdDb: number): Diarization {
  const windows = windowsOf(frames, segments, thresholdDb)
  const reliable = windows.filter((w) => w.stats.voiced >= MIN_VOICED_FRAMES)
  // Clustering is quadratic in memory and cubic in time, so a file with very many short turns is
  // clustered on an even sample of its windows; every window is assigned to a cluster afterwards.
  const pool = reliable.length > 0 ? reliable : windows.slice(0, 1)
  const step = Math.max(1, pool.length / MAX_SEED_WINDOWS)
  const seeds =
    pool.length > MAX_SEED_WINDOWS
      ? Array.from({ length: MAX_SEED_WINDOWS }, (_, k) => pool[Math.floor(k * step)]!)
      : pool
  const slots = seeds.map((w) => ({ stats: addStats(emptyStats(), w.stats), fp: w.fp, alive: true }))
  const n = slots.length
  // Pairwise similarities are cached; a merge only recomputes the merged cluster's row.
  const sim = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) sim[i * n + j] = cosine(slots[i]!.fp, slots[j]!.fp)
  let alive = n
  // Centroid-linkage agglomeration: merge the closest pair while it is the same voice or over the cap.
  while (alive > 1) {
    let best = -Infinity
    let bi = 0
    let bj = 1
    for (let i = 0; i < n; i++) {
      if (!slots[i]!.alive) continue
      for (let j = i + 1; j < n; j++)
        if (slots[j]!.alive && sim[i * n + j]! > best) [best, bi, bj] = [sim[i * n + j]!, i, j]
    }
    if (best < SAME_SPEAKER_SIMILARITY && alive <= MAX_SPEAKERS) break
    const merged = slots[bi]!
    addStats(merged.stats, slots[bj]!.stats)
    merged.fp = fingerprint(merged.stats)
    slots[bj]!.alive = false
    alive--
    for (let k = 0; k < n; k++) {
      if (k === bi || !slots[k]!.alive) continue
      sim[Math.min(k, bi) * n + Math.max(k, bi)] = cosine(merged.fp, slots[k]!.fp)
    }
  }
  const clusters = slots.filter((c) => c.alive)
  const sims = (w: Window) => clusters.map((c) => cosine(w.fp, c.fp))
  for (const w of windows) {
    const s = sims(w)
    w.cluster = s.indexOf(Math.max(...s))
  }
  // Arrival order, as Sortformer numbers its speaker slots; a cluster no window ended up in is dropped.
  const order: number[] = []
  for (const w of windows) if (!order.includes(w.cluster)) order.push(w.cluster)
  const label = (cluster: number) => `Speaker_${order.indexOf(cluster)}`
  const turns: Turn[] = []
  let conf: number[] = []
  for (let k = 0; k < windows.length; k++) {
    const w = windows[k]!
    const prev = turns[turns.length - 1]
    const c = Math.max(0, cosine(w.fp, clusters[w.cluster]!.fp))
    const startsTurn =
      k === 0 || windows[k - 1]!.segment !== w.segment || windows[k - 1]!.cluster !== w.cluster
    const start = w.first === w.segment.first ? w.segment.start : round3((w.first + 0.5) * FRAME_S)
    const end = w.last === w.segment.last ? w.segment.end : round3((w.last + 1.5) * FRAME_S)
    if (startsTurn || !prev) {
      conf = [c]
      turns.push({ start, end, speaker: label(w.cluster), confidence: 0 })
    } else {
      conf.push(c)
      prev.end = end
    }
    // Sortformer's confidence is a mean sigmoid probability: high when the windows fit their cluster.
    turns[turns.length - 1]!.confidence = round3(
      0.55 + 0.44 * (conf.reduce((a, b) => a + b, 0) / conf.length),
    )
  }
  return {
    turns,
    speakers: order.map(label),
    fingerprints: Object.fromEntries(order.map((cluster) => [label(cluster), clusters[cluster]!.fp])),
  }
}
