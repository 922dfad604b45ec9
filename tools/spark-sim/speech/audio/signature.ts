/**
 * A gain-invariant acoustic signature per 20 ms frame, for recognising a known recording inside an
 * uploaded chunk that was cut, resampled, attenuated or delayed. Each frame's code holds one bit per
 * pair of neighbouring bands below 3.9 kHz: whether the spectrum rises or falls from one band to the
 * next (the idea of Haitsma and Kalker's robust audio hash, over our own band energies). A change of
 * gain shifts every log band energy alike and leaves the bits unchanged; telephone band-limiting
 * leaves bands below 3.9 kHz alone; a delay only moves the frame index.
 */
import { BANDS, type Frames } from './features.ts'

// Bands whose edges round to distinct FFT bins (the narrowest low bands share a bin) and that lie
// under 3.9 kHz, so an 8 kHz round trip does not change them.
const CODE_BANDS = [
  0, 1, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
]
export const CODE_BITS = CODE_BANDS.length - 1
/** Frames quieter than this, relative to the loud end of the stretch, carry no code. */
const CODE_RANGE_DB = 30

export interface Codes {
  /** One code per frame of the stretch; only meaningful where `valid` is 1. */
  code: Uint32Array
  valid: Uint8Array
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? -100
}

/** Codes of frames [first, last]; the level cut is relative to the stretch's own loud frames. */
export function frameCodes(frames: Frames, first: number, last: number): Codes {
  const n = Math.max(0, last - first + 1)
  const code = new Uint32Array(n)
  const valid = new Uint8Array(n)
  const levels: number[] = []
  for (let i = first; i <= last; i++) if (frames.centroid[i]! > 0) levels.push(frames.db[i]!)
  const floor = percentile(levels, 0.95) - CODE_RANGE_DB
  for (let k = 0; k < n; k++) {
    const i = first + k
    if (frames.centroid[i]! <= 0 || frames.db[i]! < floor) continue
    let c = 0
    for (let b = 0; b < CODE_BITS; b++) {
      const lo = frames.bands[i * BANDS + CODE_BANDS[b]!]!
      const hi = frames.bands[i * BANDS + CODE_BANDS[b + 1]!]!
      if (hi > lo) c |= 1 << b
    }
    code[k] = c >>> 0
    valid[k] = 1
  }
  return { code, valid }
}

export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

/**
 * Bit error rate of `a` against `b` shifted so that b[j] sits at a[j + offset], over frames where
 * both carry a code; `frames` is how many frames were compared.
 */
export function bitErrorRate(
  a: Codes,
  b: Codes,
  offset: number,
  from = 0,
  to = a.code.length - 1,
): { ber: number; frames: number } {
  let errors = 0
  let count = 0
  const lo = Math.max(from, offset)
  const hi = Math.min(to, offset + b.code.length - 1)
  for (let i = lo; i <= hi; i++) {
    const j = i - offset
    if (!a.valid[i] || !b.valid[j]) continue
    errors += popcount((a.code[i]! ^ b.code[j]!) >>> 0)
    count++
  }
  return { ber: count > 0 ? errors / (count * CODE_BITS) : 1, frames: count }
}
