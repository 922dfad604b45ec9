/**
 * Runs ffmpeg and ffprobe for the audio pipeline: argument arrays and never a shell (file names and
 * request values must not reach one), a deadline and the caller's signal both kill the process, and
 * stderr is kept bounded (its last lines are what explains a failure; a long decode can print a
 * lot). Output is either collected (small: probe JSON, capped) or handed to the caller chunk by
 * chunk (PCM), which may stop the process once it has seen enough.
 */
import { spawn } from 'node:child_process'
import { AppError } from '../../../shared/errors.ts'
import { createToolSlots } from './tool-slots.ts'

export type AudioTool = 'ffmpeg' | 'ffprobe'

export interface ToolOptions {
  timeoutMs?: number
}

/** A two-hour recording decodes in well under a minute here; ten is for a loaded machine. */
export const DECODE_TIMEOUT_MS = 10 * 60_000
/** What Parakeet and the diarizer take. */
export const SAMPLE_RATE = 16_000

export const unsupported = (why: string) =>
  new AppError(415, 'unsupported_media_type', `The file is not audio ffmpeg can read: ${why}`)

export interface RunOptions {
  signal: AbortSignal
  timeoutMs: number
  /** PCM and other large output: handed over as it comes; returning `'stop'` ends the process. */
  onStdout?: (chunk: Buffer) => undefined | 'stop'
  /** Each complete stderr line (silencedetect reports there). */
  onStderrLine?: (line: string) => void
  /** Cap on collected stdout when `onStdout` is not given. */
  maxStdoutBytes?: number
}

export interface RunResult {
  code: number | null
  stdout: Buffer
  /** The last few kilobytes of stderr. */
  stderr: string
  /** True when `onStdout` asked to stop (the exit code then means nothing). */
  stopped: boolean
}

const STDERR_TAIL = 8192
const DEFAULT_STDOUT_CAP = 1024 * 1024

export const clientGone = () => new AppError(499, 'client_closed', 'The client went away.')

/** One per process: every request's probes and decodes take turns (tool-slots.ts). */
const slots = createToolSlots()

export async function runAudioTool(tool: AudioTool, args: string[], opts: RunOptions): Promise<RunResult> {
  const release = await slots.acquire(opts.signal, clientGone)
  try {
    return await spawnTool(tool, args, opts)
  } finally {
    release()
  }
}

function spawnTool(tool: AudioTool, args: string[], opts: RunOptions): Promise<RunResult> {
  if (opts.signal.aborted) return Promise.reject(clientGone())
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false })
    const out: Buffer[] = []
    let outBytes = 0
    let stderr = ''
    let partial = ''
    let stopped = false
    let failure: AppError | null = null
    const kill = (why: AppError | null) => {
      failure ??= why
      child.kill('SIGKILL')
    }
    const timer = setTimeout(
      () => kill(new AppError(504, 'audio_timeout', `${tool} did not finish within ${opts.timeoutMs} ms.`)),
      opts.timeoutMs,
    )
    const onAbort = () => kill(clientGone())
    opts.signal.addEventListener('abort', onAbort, { once: true })

    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return
      if (opts.onStdout) {
        if (opts.onStdout(chunk) === 'stop') {
          stopped = true
          kill(null)
        }
        return
      }
      outBytes += chunk.length
      if (outBytes > (opts.maxStdoutBytes ?? DEFAULT_STDOUT_CAP))
        return kill(new AppError(500, 'audio_tool_failed', `${tool} printed more than expected.`))
      out.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      stderr = (stderr + text).slice(-STDERR_TAIL)
      if (!opts.onStderrLine) return
      const lines = (partial + text).split(/\r?\n|\r/)
      // A line longer than the tail is noise (a progress bar), not something to parse.
      partial = (lines.pop() ?? '').slice(-STDERR_TAIL)
      for (const line of lines) opts.onStderrLine(line)
    })
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup()
      reject(
        err.code === 'ENOENT'
          ? new AppError(500, 'audio_tool_missing', `${tool} is not installed (Debian package ffmpeg).`)
          : err,
      )
    })
    child.once('close', (code) => {
      cleanup()
      if (partial && opts.onStderrLine) opts.onStderrLine(partial)
      if (failure) reject(failure)
      else resolve({ code, stdout: Buffer.concat(out), stderr, stopped })
    })
    function cleanup() {
      clearTimeout(timer)
      opts.signal.removeEventListener('abort', onAbort)
    }
  })
}

/** ffmpeg's reason in one line, without the temp path it names (that is ours, not the client's). */
export function reasonOf(stderr: string, path: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const last = lines.at(-1) ?? 'no reason given'
  return last
    .split(path)
    .join('the file')
    .replace(/^the file: /, '')
}

/** Base arguments of every ffmpeg run: no stdin, no banner, errors only. */
export const FFMPEG_QUIET = ['-nostdin', '-hide_banner', '-loglevel', 'error']
