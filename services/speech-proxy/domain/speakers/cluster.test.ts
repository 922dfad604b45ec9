import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { clusterVoices, type Voice } from './cluster.ts'
import { randomVoices, unit } from './testing.ts'

const rand = seededRandom(21)
const [a, b] = randomVoices(2, rand) as [number[], number[]]
/** A vector at cosine `c` to `v` (towards `w`, which is near-orthogonal to it). */
const at = (v: number[], w: number[], c: number) => {
  const along = v.reduce((s, x, k) => s + x * w[k]!, 0)
  const ortho = unit(w.map((x, k) => x - along * v[k]!))
  return unit(v.map((x, k) => c * x + Math.sqrt(1 - c * c) * ortho[k]!))
}
const opts = { threshold: 0.7, min: 1, max: Number.POSITIVE_INFINITY }

describe('clusterVoices', () => {
  it('joins the same voice across chunks and keeps different voices apart', () => {
    const voices: Voice[] = [
      { chunk: 0, fingerprint: at(a, b, 0.95) },
      { chunk: 0, fingerprint: b },
      { chunk: 1, fingerprint: a },
      { chunk: 1, fingerprint: at(b, a, 0.9) },
    ]
    expect(clusterVoices(voices, [], opts)).toEqual([0, 1, 0, 1])
  })

  it('lets two labels of one chunk merge only when they are clearly one voice (a split)', () => {
    const split: Voice[] = [
      { chunk: 0, fingerprint: a },
      { chunk: 0, fingerprint: at(a, b, 0.95) },
    ]
    expect(clusterVoices(split, [], opts)).toEqual([0, 0])
    // 0.8 would join them across chunks; inside one chunk the penalty keeps them apart.
    const close: Voice[] = [
      { chunk: 0, fingerprint: a },
      { chunk: 0, fingerprint: at(a, b, 0.8) },
    ]
    expect(clusterVoices(close, [], opts)).toEqual([0, 1])
    expect(
      clusterVoices(
        close.map((v, i) => ({ ...v, chunk: i })),
        [],
        opts,
      ),
    ).toEqual([0, 0])
  })

  it('starts from must-links, even where embeddings are missing', () => {
    const voices: Voice[] = [
      { chunk: 0, fingerprint: null },
      { chunk: 1, fingerprint: null },
      { chunk: 1, fingerprint: a },
    ]
    expect(clusterVoices(voices, [[0, 1]], opts)).toEqual([0, 0, 1])
    // A count hint forces merges the evidence does not support.
    expect(clusterVoices(voices, [[0, 1]], { ...opts, max: 1 })).toEqual([0, 0, 0])
  })

  it('stops merging at min, however similar the rest are', () => {
    const same: Voice[] = [0, 1, 2].map((chunk) => ({ chunk, fingerprint: a }))
    expect(new Set(clusterVoices(same, [], opts)).size).toBe(1)
    expect(new Set(clusterVoices(same, [], { ...opts, min: 2 })).size).toBe(2)
  })
})
