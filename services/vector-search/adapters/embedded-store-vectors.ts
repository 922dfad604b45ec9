/**
 * Vector arithmetic of the embedded store: the stored form of a dense vector (f32, unit length for
 * Cosine, as Qdrant stores it), its sign bits for the coarse search, Hamming distance, and the exact
 * score (Qdrant's: Cosine and Dot are dot products, Euclid is the distance, smaller better).
 */
import type { Distance } from '../domain/store/ports.ts'

export function storedDense(vector: readonly number[], distance: Distance): Float32Array {
  const out = Float32Array.from(vector)
  if (distance !== 'Cosine') return out
  let norm = 0
  for (let i = 0; i < out.length; i++) norm += out[i]! * out[i]!
  norm = Math.sqrt(norm)
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm
  return out
}

export const wordsFor = (size: number) => Math.ceil(size / 32)

/** One bit per dimension, set when the component is positive (Qdrant's binary quantisation). */
export function signBits(vector: Float32Array, into: Uint32Array = new Uint32Array(wordsFor(vector.length))) {
  into.fill(0)
  for (let i = 0; i < vector.length; i++) if (vector[i]! > 0) into[i >>> 5]! |= 1 << (i & 31)
  return into
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}

export function exactScore(distance: Distance, a: Float32Array, b: Float32Array): number {
  let sum = 0
  if (distance === 'Euclid') {
    for (let i = 0; i < a.length; i++) {
      const d = a[i]! - b[i]!
      sum += d * d
    }
    return Math.sqrt(sum)
  }
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!
  return sum
}

export const smallerIsBetter = (distance: Distance) => distance === 'Euclid'

/** A BLOB column read back as f32 without copying (the driver hands out a Buffer over its own memory). */
export function f32(blob: Uint8Array): Float32Array {
  if (blob.byteOffset % 4 === 0) return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4)
  return new Float32Array(blob.slice().buffer)
}

export function u32(blob: Uint8Array): Uint32Array {
  if (blob.byteOffset % 4 === 0) return new Uint32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4)
  return new Uint32Array(blob.slice().buffer)
}

export const bytes = (array: Float32Array | Uint32Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
