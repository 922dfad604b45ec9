/** The little vector arithmetic speaker linking needs: voice embeddings compared by angle. */

/** Cosine similarity; 0 when either vector is all zeros or their lengths differ. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return 0
  let dot = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    dot += x * y
    aa += x * x
    bb += y * y
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 0
}

/** The unit-length weighted mean of unit-length copies of `vectors` (their "centre" by angle). */
export function meanDirection(vectors: readonly { vector: readonly number[]; weight: number }[]): number[] {
  const dim = vectors[0]?.vector.length ?? 0
  const sum = new Array<number>(dim).fill(0)
  for (const { vector, weight } of vectors) {
    const norm = Math.hypot(...vector) || 1
    for (let i = 0; i < dim; i++) sum[i] = (sum[i] as number) + (weight * (vector[i] as number)) / norm
  }
  const norm = Math.hypot(...sum) || 1
  return sum.map((x) => Math.round((x / norm) * 1e6) / 1e6)
}
