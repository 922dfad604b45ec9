/**
 * Splits a write into requests Qdrant accepts: its body limit is `service.max_request_size_mb`
 * (32 MiB by default) and large requests hold its update queue, so each request stays under a byte
 * budget (default 8 MiB) and a point count (default 256). Sizes are those of the JSON the client
 * sends (it serialises with JSON.stringify), so the estimate is the wire size.
 */
import { StoreError } from '../domain/store/ports.ts'

export interface BatchLimits {
  maxBytes: number
  maxPoints: number
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxBytes: 8 * 1024 * 1024, maxPoints: 256 }

/** Bytes of the request around the points (`{"points":[…]}`, a batch's operation wrapper, the query string). */
const ENVELOPE_BYTES = 512

export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value))

export interface Sized<T> {
  item: T
  bytes: number
}

export const sized = <T>(items: T[]): Sized<T>[] => items.map((item) => ({ item, bytes: jsonBytes(item) }))

/** Greedy split in order; a single item over the byte budget is refused (`too_large`). */
export function splitBatches<T>(items: Sized<T>[], limits: BatchLimits): Sized<T>[][] {
  const budget = limits.maxBytes - ENVELOPE_BYTES
  const batches: Sized<T>[][] = []
  let current: Sized<T>[] = []
  let bytes = 0
  for (const s of items) {
    // +1 for the comma between points.
    if (s.bytes + 1 > budget)
      throw new StoreError(
        'too_large',
        `One point is ${s.bytes} bytes, over the ${limits.maxBytes}-byte request budget.`,
      )
    if (current.length > 0 && (current.length >= limits.maxPoints || bytes + s.bytes + 1 > budget)) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(s)
    bytes += s.bytes + 1
  }
  if (current.length > 0) batches.push(current)
  return batches
}

export const batchBytes = <T>(batch: Sized<T>[]) => batch.reduce((n, s) => n + s.bytes + 1, ENVELOPE_BYTES)
