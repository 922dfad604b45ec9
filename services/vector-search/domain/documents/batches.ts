/**
 * Splitting work into requests a server accepts: at most `maxCount` items and about `maxBytes` of
 * JSON each (Qdrant refuses a request over its `max_request_size_mb`, 32 MB by default, and the
 * embeddings servers cap their batch). An item alone over `maxBytes` still goes, alone.
 */
export interface BatchLimits {
  maxCount: number
  maxBytes: number
}

export function batchesOf<T>(items: readonly T[], limits: BatchLimits, bytesOf: (item: T) => number): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const size = bytesOf(item)
    if (current.length > 0 && (current.length >= limits.maxCount || bytes + size > limits.maxBytes)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** The JSON size of a stored point, estimated without serialising its vectors (a float is ≤ 24 bytes). */
export function pointBytes(point: {
  dense: number[]
  sparse: { indices: number[] }
  payload: unknown
}): number {
  return (
    64 +
    point.dense.length * 24 +
    point.sparse.indices.length * 36 +
    Buffer.byteLength(JSON.stringify(point.payload))
  )
}

/** A text's size in a JSON request, near enough (escapes and multi-byte characters counted as UTF-8). */
export function textBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 8
}
