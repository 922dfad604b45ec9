import { describe, expect, it } from 'vitest'
import { cosine, type Diarization, FINGERPRINT_DIM } from './audio/speakers.ts'
import { sortformerView } from './sortformer.ts'

function unit(seed: number): number[] {
  const v = Array.from({ length: FINGERPRINT_DIM }, (_, k) => Math.sin(seed * 7.1 + k * 0.37 * seed))
  const n = Math.hypot(...v)
  return v.map((x) => x / n)
}

/** Four speakers in arrival order, each speaking `seconds` in one turn. */
function clean(seconds: number): Diarization {
  const speakers = ['Speaker_0', 'Speaker_1', 'Speaker_2', 'Speaker_3']
  return {
    speakers,
    turns: speakers.map((speaker, i) => ({
      speaker,
      start: i * seconds,
      end: (i + 1) * seconds,
      confidence: 0.9,
    })),
    fingerprints: Object.fromEntries(speakers.map((s, i) => [s, unit(i + 1)])),
  }
}

describe('sortformerView', () => {
  it('keeps arrival order when asked, and deals a seeded permutation otherwise', () => {
    const d = clean(3)
    expect(sortformerView(d, 7, 'arrival').turns.map((t) => t.speaker)).toEqual(d.speakers)
    const orders = new Set(
      Array.from({ length: 20 }, (_, seed) =>
        sortformerView(d, seed, 'shuffled')
          .turns.map((t) => t.speaker)
          .join(),
      ),
    )
    expect(orders.size).toBeGreaterThan(5)
    const once = sortformerView(d, 42, 'shuffled')
    expect(sortformerView(d, 42, 'shuffled')).toEqual(once)
    expect(once.speakers).toEqual(['Speaker_0', 'Speaker_1', 'Speaker_2', 'Speaker_3'])
    expect([...new Set(once.turns.map((t) => t.speaker))].sort()).toEqual(once.speakers)
  })

  it('moves each embedding off the voice signature, more for short speech', () => {
    const d = clean(2)
    const long = clean(30)
    const shortCos: number[] = []
    const longCos: number[] = []
    for (let seed = 1; seed <= 20; seed++) {
      const short = sortformerView(d, seed, 'arrival').fingerprints
      const lengthy = sortformerView(long, seed, 'arrival').fingerprints
      for (const s of d.speakers) {
        shortCos.push(cosine(short[s]!, d.fingerprints[s]!))
        longCos.push(cosine(lengthy[s]!, d.fingerprints[s]!))
        expect(Math.hypot(...short[s]!)).toBeCloseTo(1, 4)
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(Math.max(...shortCos, ...longCos)).toBeLessThan(0.99)
    expect(Math.min(...shortCos)).toBeGreaterThan(0.8)
    expect(mean(longCos)).toBeGreaterThan(mean(shortCos))
  })
})
