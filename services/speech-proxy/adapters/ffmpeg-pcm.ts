/**
 * Samples of a normalised WAV (what toMono16k wrote) as floats in −1…1, for energy analysis. A
 * whole two-hour file would be ~460 MB of floats, so one read is capped and callers that need more
 * read it in windows (`startS`, `durS`).
 */
import { open } from 'node:fs/promises'
import { SAMPLE_RATE } from './ffmpeg-run.ts'

/** Thirty minutes at 16 kHz is 115 MB of floats: the most one read returns. */
export const MAX_PCM_SECONDS = 30 * 60

export interface WavLayout {
  /** Byte offset of the first sample. */
  dataOffset: number
  frames: number
  sampleRate: number
  channels: number
}

/** Finds the data chunk of a PCM s16 WAV (ffmpeg writes a LIST chunk before it). */
export async function wavLayout(path: string): Promise<WavLayout> {
  const fh = await open(path, 'r')
  try {
    const head = Buffer.alloc(4096)
    const { bytesRead } = await fh.read(head, 0, head.length, 0)
    if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE')
      throw new Error('not a WAV file')
    let offset = 12
    let fmt: { channels: number; sampleRate: number; bits: number } | null = null
    while (offset + 8 <= bytesRead) {
      const id = head.toString('ascii', offset, offset + 4)
      const size = head.readUInt32LE(offset + 4)
      if (id === 'fmt ')
        fmt = {
          channels: head.readUInt16LE(offset + 10),
          sampleRate: head.readUInt32LE(offset + 12),
          bits: head.readUInt16LE(offset + 22),
        }
      if (id === 'data') {
        if (fmt?.bits !== 16) throw new Error('not a 16-bit PCM WAV')
        // ffmpeg leaves the size unset when it could not seek back; the file's length is the truth.
        const available = (await fh.stat()).size - (offset + 8)
        const bytes = size === 0 || size === 0xffffffff ? available : Math.min(size, available)
        return { dataOffset: offset + 8, frames: Math.floor(bytes / (2 * fmt.channels)), ...fmt }
      }
      offset += 8 + size + (size % 2)
    }
    throw new Error('no data chunk in the WAV header')
  } finally {
    await fh.close()
  }
}

export async function readPcm16k(
  path16k: string,
  opts: { startS?: number; durS?: number } = {},
): Promise<Float32Array> {
  const layout = await wavLayout(path16k)
  if (layout.sampleRate !== SAMPLE_RATE || layout.channels !== 1)
    throw new Error(`expected 16 kHz mono, got ${layout.sampleRate} Hz × ${layout.channels}`)
  const first = Math.min(layout.frames, Math.max(0, Math.round((opts.startS ?? 0) * SAMPLE_RATE)))
  const wanted = opts.durS === undefined ? layout.frames - first : Math.round(opts.durS * SAMPLE_RATE)
  const count = Math.max(0, Math.min(wanted, layout.frames - first))
  if (count > MAX_PCM_SECONDS * SAMPLE_RATE)
    throw new RangeError(
      `reading ${count / SAMPLE_RATE} s at once; read at most ${MAX_PCM_SECONDS} s per call`,
    )
  const out = new Float32Array(count)
  const fh = await open(path16k, 'r')
  try {
    const block = Buffer.alloc(1 << 20)
    for (let done = 0; done < count; ) {
      const frames = Math.min(block.length / 2, count - done)
      const position = layout.dataOffset + (first + done) * 2
      const { bytesRead } = await fh.read(block, 0, frames * 2, position)
      if (bytesRead === 0) break
      for (let i = 0; i < bytesRead / 2; i++) out[done + i] = block.readInt16LE(i * 2) / 32768
      done += bytesRead / 2
    }
  } finally {
    await fh.close()
  }
  return out
}
