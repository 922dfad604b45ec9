/**
 * What makes the simulated diarizer's answer look like Sortformer's and TitaNet's rather than a
 * clean oracle's:
 *
 * - Labels are chunk-local. Sortformer fills its 4 slots per request; the real model orders them by
 *   arrival time, but nothing ties `Speaker_0` of one request to `Speaker_0` of the next. Here the
 *   slots are dealt in an order seeded by the audio (`shuffled`, the default: reproducible for the
 *   same audio, different for different chunks), so a caller that links chunks by label fails here
 *   as it would, sooner or later, on a Spark. `arrival` keeps the real model's ordering.
 * - Embeddings are noisy. TitaNet's embedding of the same voice differs from chunk to chunk, more
 *   for short stretches of speech: each fingerprint is the voice's signature plus seeded Gaussian
 *   noise whose share falls with the speaker's seconds of speech in the request.
 */
import { seededRandom } from '../../../shared/random.ts'
import type { Diarization } from './audio/speakers.ts'

export type LabelOrder = 'shuffled' | 'arrival'

// Noise energy relative to the signature: base + per-second term. For 3 s of speech the expected
// cosine to the clean signature is 1/sqrt(1 + 0.08 + 0.3/3) ≈ 0.92, for 20 s ≈ 0.95.
const NOISE_BASE = 0.08
const NOISE_PER_SECOND = 0.3

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand())
}

function noisy(signature: number[], seconds: number, rand: () => number): number[] {
  const share = Math.sqrt(NOISE_BASE + NOISE_PER_SECOND / Math.max(0.5, seconds))
  const noise = signature.map(() => gaussian(rand))
  const noiseNorm = Math.hypot(...noise) || 1
  const v = signature.map((x, k) => x + (share * noise[k]!) / noiseNorm)
  const norm = Math.hypot(...v) || 1
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6)
}

/** A permutation of 0..n-1 drawn from `rand`. */
function permutation(n: number, rand: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[p[i], p[j]] = [p[j]!, p[i]!]
  }
  return p
}

/**
 * Relabels a diarization (whose labels are in arrival order) and adds embedding noise, both seeded by
 * `seed` (a digest of the request's audio).
 */
export function sortformerView(d: Diarization, seed: number, order: LabelOrder): Diarization {
  const rand = seededRandom(seed)
  const perm = order === 'shuffled' ? permutation(d.speakers.length, rand) : d.speakers.map((_, i) => i)
  const rename = new Map(d.speakers.map((s, i) => [s, `Speaker_${perm[i]}`]))
  const seconds = new Map<string, number>()
  for (const t of d.turns) seconds.set(t.speaker, (seconds.get(t.speaker) ?? 0) + (t.end - t.start))
  const fingerprints: Record<string, number[]> = {}
  for (const s of d.speakers) {
    const fp = d.fingerprints[s]
    if (fp) fingerprints[rename.get(s)!] = noisy(fp, seconds.get(s) ?? 0, rand)
  }
  return {
    turns: d.turns.map((t) => ({ ...t, speaker: rename.get(t.speaker)! })),
    speakers: [...rename.values()].sort(),
    fingerprints: Object.fromEntries(Object.entries(fingerprints).sort(([a], [b]) => a.localeCompare(b))),
  }
}
