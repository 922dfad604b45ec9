/**
 * Decodes any ffmpeg-readable file to 16 kHz mono s16le, the format Parakeet and Sortformer are fed,
 * and analyses the PCM as it streams out of ffmpeg (never collected whole).
 */
import { FrameAnalyzer, type Frames, SAMPLE_RATE } from './features.ts'
import { exited, spawnTool } from './tools.ts'

export class DecodeError extends Error {}

export interface DecodeOptions {
  signal?: AbortSignal
  timeoutMs?: number
  /** Decode only this channel of a multi-channel file; otherwise every channel is mixed down. */
  channel?: number
  /** false skips pitch tracking (f0 stays 0), for callers that only need levels and spectra. */
  pitch?: boolean
}

export async function analyzeFile(path: string, options: DecodeOptions = {}): Promise<Frames> {
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    path,
    '-vn',
    ...(options.channel === undefined ? ['-ac', '1'] : ['-af', `pan=mono|c0=c${options.channel}`]),
    '-ar',
    String(SAMPLE_RATE),
    '-f',
    's16le',
    '-acodec',
    'pcm_s16le',
    'pipe:1',
  ]
  const child = spawnTool('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const analyzer = new FrameAnalyzer({ pitch: options.pitch })
  child.stdout?.on('data', (chunk: Buffer) => analyzer.pushBytes(chunk))
  const done = exited(child, 'ffmpeg')
  const kill = () => child.kill('SIGKILL')
  const timer = setTimeout(kill, options.timeoutMs ?? 600_000)
  options.signal?.addEventListener('abort', kill, { once: true })
  try {
    const { code, stderr } = await done
    if (options.signal?.aborted) throw new DecodeError('request aborted')
    if (code !== 0) {
      // ffmpeg's first error line ("Invalid data found when processing input") is the useful part.
      const reason = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit code ${code}`
      throw new DecodeError(`Could not decode audio: ${reason.replace(/^.*?: /, '')}`)
    }
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', kill)
  }
  const frames = analyzer.finish()
  if (frames.durationS === 0)
    throw new DecodeError('Could not decode audio: the file contains no audio samples')
  return frames
}
