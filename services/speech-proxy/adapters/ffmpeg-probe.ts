/** What an upload is, per ffprobe: the first audio stream's codec, channels, rate and duration. */
import {
  DECODE_TIMEOUT_MS,
  FFMPEG_QUIET,
  reasonOf,
  runAudioTool,
  type ToolOptions,
  unsupported,
} from './ffmpeg-run.ts'

const PROBE_TIMEOUT_MS = 30_000

export interface Probe {
  durationS: number
  channels: number
  sampleRate: number
  codec: string
  format: string
}

interface ProbeJson {
  streams?: {
    codec_type?: string
    codec_name?: string
    channels?: number
    sample_rate?: string
    duration?: string
  }[]
  format?: { format_name?: string; duration?: string }
}

/** What the upload is; anything without an audio stream is a 415 carrying ffprobe's reason. */
export async function probe(path: string, signal: AbortSignal, opts: ToolOptions = {}): Promise<Probe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]
  const res = await runAudioTool('ffprobe', args, { signal, timeoutMs: opts.timeoutMs ?? PROBE_TIMEOUT_MS })
  if (res.code !== 0) throw unsupported(reasonOf(res.stderr, path))
  let parsed: ProbeJson
  try {
    parsed = JSON.parse(res.stdout.toString('utf8')) as ProbeJson
  } catch {
    throw unsupported('ffprobe could not describe it')
  }
  const streams = parsed.streams ?? []
  const audio = streams.find((s) => s.codec_type === 'audio')
  if (!audio) {
    const found = streams.map((s) => `${s.codec_type ?? 'data'} (${s.codec_name ?? 'unknown'})`).join(', ')
    throw unsupported(found ? `no audio stream, only ${found}` : 'no audio stream')
  }
  const declared = Number(parsed.format?.duration ?? audio.duration)
  // Streamed recordings (a browser's webm) carry no duration: it is measured by decoding.
  const durationS =
    Number.isFinite(declared) && declared > 0 ? declared : await measureDuration(path, signal, opts)
  return {
    durationS,
    channels: audio.channels ?? 1,
    sampleRate: Number(audio.sample_rate ?? 0),
    codec: audio.codec_name ?? 'unknown',
    format: parsed.format?.format_name ?? 'unknown',
  }
}

async function measureDuration(path: string, signal: AbortSignal, opts: ToolOptions): Promise<number> {
  let outTimeUs = 0
  const args = [
    ...FFMPEG_QUIET,
    '-i',
    path,
    '-map',
    '0:a:0',
    '-f',
    'null',
    '-progress',
    'pipe:1',
    '-nostats',
    '-',
  ]
  const res = await runAudioTool('ffmpeg', args, {
    signal,
    timeoutMs: opts.timeoutMs ?? DECODE_TIMEOUT_MS,
    onStdout: (chunk) => {
      for (const m of chunk.toString('latin1').matchAll(/out_time_us=(\d+)/g)) outTimeUs = Number(m[1])
      return undefined
    },
  })
  if (res.code !== 0) throw unsupported(reasonOf(res.stderr, path))
  return outTimeUs / 1e6
}
