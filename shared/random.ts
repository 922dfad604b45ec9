/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence on every
 * runtime, so the simulator's generated text and audio and the property tests' inputs can be
 * replayed from their seed. Quality is irrelevant here and it is not for secrets (use node:crypto).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
