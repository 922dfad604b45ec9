/**
 * The audio work done by the Debian ffmpeg binary: probing an upload, normalising it to the 16 kHz
 * mono s16 WAV that Parakeet and the diarizer take, finding silences (where long audio is cut),
 * cutting chunks, and telling whether a stereo file carries the same signal twice (then it is
 * treated as mono). Every run has a deadline and ends with the request (runAudioTool).
 */
import {
  DECODE_TIMEOUT_MS,
  FFMPEG_QUIET,
  reasonOf,
  runAudioTool,
  SAMPLE_RATE,
  type ToolOptions,
  unsupported,
} from './ffmpeg-run.ts'

export { channelsIdentical } from './ffmpeg-channels.ts'
export { readPcm16k } from './ffmpeg-pcm.ts'
export { probe } from './ffmpeg-probe.ts'

/** The 16 kHz mono s16 WAV the upstreams take: both channels mixed, or the one asked for. */
export async function toMono16k(
  path: string,
  out: string,
  signal: AbortSignal,
  opts: ToolOptions & { channel?: 0 | 1 } = {},
): Promise<void> {
  const pick = opts.channel === undefined ? [] : ['-af', `pan=mono|c0=c${opts.channel}`]
  const args = [...FFMPEG_QUIET, '-y', '-i', path, '-map', '0:a:0', '-vn', ...pick]
  args.push('-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', out)
  const res = await runAudioTool('ffmpeg', args, { signal, timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS })
  if (res.code !== 0) throw unsupported(reasonOf(res.stderr, path))
}

export interface SilenceOptions extends ToolOptions {
  /** Level under which audio counts as silence. */
  noiseDb?: number
  /** Shortest pause reported. */
  minS?: number
}

export interface Silence {
  start: number
  end: number
}

/** Pauses in the audio (ffmpeg's silencedetect), in order; one running to the end is closed there. */
export async function silences(
  path16k: string,
  signal: AbortSignal,
  opts: SilenceOptions = {},
): Promise<Silence[]> {
  const found: Silence[] = []
  let open: number | null = null
  const filter = `silencedetect=noise=${opts.noiseDb ?? -35}dB:d=${opts.minS ?? 0.3}`
  const args = ['-nostdin', '-hide_banner', '-nostats', '-i', path16k, '-af', filter, '-f', 'null', '-']
  const res = await runAudioTool('ffmpeg', args, {
    signal,
    timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS,
    onStderrLine: (line) => {
      const start = /silence_start: (-?[\d.]+)/.exec(line)
      if (start) open = Math.max(0, Number(start[1]))
      const end = /silence_end: (-?[\d.]+)/.exec(line)
      if (end && open !== null) {
        found.push({ start: open, end: Number(end[1]) })
        open = null
      }
    },
  })
  if (res.code !== 0) throw unsupported(reasonOf(res.stderr, path16k))
  return found
}

/** `durS` seconds of a normalised WAV from `startS`, as another normalised WAV (sample-exact for PCM). */
export async function cut(
  path16k: string,
  out: string,
  startS: number,
  durS: number,
  signal: AbortSignal,
  opts: ToolOptions = {},
): Promise<void> {
  const args = [...FFMPEG_QUIET, '-y', '-ss', startS.toFixed(6), '-t', durS.toFixed(6), '-i', path16k]
  args.push('-c:a', 'pcm_s16le', '-f', 'wav', out)
  const res = await runAudioTool('ffmpeg', args, { signal, timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS })
  if (res.code !== 0) throw unsupported(reasonOf(res.stderr, path16k))
}
