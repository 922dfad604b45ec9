/**
 * Whether a stereo file carries one signal on both channels (a mono recording saved as stereo), so
 * it can be transcribed once as mono instead of as two sides of a call. The decoded PCM streams
 * through a running comparison and is never held: the energy of L−R against the energy of L and R.
 * Lossless copies differ by nothing; lossy codecs (joint-stereo MP3, AAC, Opus) leave a residue far
 * under the threshold, while two real sides differ by the whole signal of each.
 */
import { probe } from './ffmpeg-probe.ts'
import {
  DECODE_TIMEOUT_MS,
  FFMPEG_QUIET,
  reasonOf,
  runAudioTool,
  SAMPLE_RATE,
  type ToolOptions,
} from './ffmpeg-run.ts'

/** L−R at −40 dB under the signal is the same recording. */
const SAME_RATIO = 1e-4
/** A second where L−R is within 20 dB of the signal settles it: the channels differ. */
const DIFFERENT_RATIO = 1e-2
/** Seconds quieter than this (mean square, 16-bit units) say nothing either way. */
const QUIET_MEAN_SQUARE = 100

export async function channelsIdentical(
  path: string,
  signal: AbortSignal,
  opts: ToolOptions = {},
): Promise<boolean> {
  const { channels } = await probe(path, signal, opts)
  if (channels !== 2) return false
  const cmp = new ChannelComparison()
  const args = [
    ...FFMPEG_QUIET,
    '-i',
    path,
    '-map',
    '0:a:0',
    '-ar',
    String(SAMPLE_RATE),
    '-f',
    's16le',
    'pipe:1',
  ]
  const res = await runAudioTool('ffmpeg', args, {
    signal,
    timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS,
    onStdout: (chunk) => (cmp.push(chunk) ? undefined : 'stop'),
  })
  if (res.stopped) return false
  if (res.code !== 0)
    throw new Error(`ffmpeg could not decode for the channel check: ${reasonOf(res.stderr, path)}`)
  return cmp.identical()
}

/** Interleaved s16le stereo in, one verdict out; holds one partial frame and one second of sums. */
export class ChannelComparison {
  private carry: Buffer | null = null
  private diff = 0
  private sum = 0
  private windowDiff = 0
  private windowSum = 0
  private windowFrames = 0

  /** Returns false as soon as the channels are certainly different. */
  push(chunk: Buffer): boolean {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    const usable = data.length - (data.length % 4)
    this.carry = usable < data.length ? Buffer.from(data.subarray(usable)) : null
    for (let i = 0; i < usable; i += 4) {
      const l = data.readInt16LE(i)
      const r = data.readInt16LE(i + 2)
      this.windowDiff += (l - r) ** 2
      this.windowSum += (l * l + r * r) / 2
      if (++this.windowFrames === SAMPLE_RATE && !this.closeWindow()) return false
    }
    return true
  }

  identical(): boolean {
    this.closeWindow()
    return this.sum === 0 ? this.diff === 0 : this.diff <= SAME_RATIO * this.sum
  }

  private closeWindow(): boolean {
    const loud = this.windowSum > QUIET_MEAN_SQUARE * this.windowFrames
    const differs = loud && this.windowDiff > DIFFERENT_RATIO * this.windowSum
    this.diff += this.windowDiff
    this.sum += this.windowSum
    this.windowDiff = 0
    this.windowSum = 0
    this.windowFrames = 0
    return !differs
  }
}
