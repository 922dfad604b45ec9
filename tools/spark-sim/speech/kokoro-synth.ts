/**
 * Real speech for the simulated Kokoro: espeak-ng synthesises the text (read from stdin, so text
 * never becomes an argument), ffmpeg resamples to Kokoro's 24 kHz mono 16-bit and encodes the
 * requested format. Streaming hands ffmpeg's stdout to the client as it is produced; the non-stream
 * path writes a temp file so WAV headers carry real sizes, as Kokoro's non-stream WAV does.
 */
import type { Buffer } from 'node:buffer'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exited, spawnTool } from './audio/tools.ts'
import type { EspeakVoice } from './kokoro-voices.ts'

export const AUDIO_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const
export type AudioFormat = (typeof AUDIO_FORMATS)[number]
export const KOKORO_SAMPLE_RATE = 24_000

export const CONTENT_TYPES: Record<AudioFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
}

const ENCODERS: Record<AudioFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '96k', '-f', 'mp3'],
  opus: ['-c:a', 'libopus', '-b:a', '48k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
  pcm: ['-c:a', 'pcm_s16le', '-f', 's16le'],
}

export interface SynthRequest {
  text: string
  voice: EspeakVoice
  format: AudioFormat
  speed: number
  volume: number
}

const ESPEAK_WPM = 175

function filters(req: SynthRequest): string {
  const wpm = ESPEAK_WPM * req.speed
  const clamped = Math.max(80, Math.min(450, wpm))
  const chain = [`aresample=${KOKORO_SAMPLE_RATE}`]
  // espeak's rate range is narrower than Kokoro's 0.25–4.0; atempo covers the rest.
  let tempo = wpm / clamped
  while (tempo < 0.5) {
    chain.push('atempo=0.5')
    tempo /= 0.5
  }
  if (Math.abs(tempo - 1) > 0.01) chain.push(`atempo=${tempo.toFixed(4)}`)
  if (req.volume !== 1) chain.push(`volume=${req.volume.toFixed(3)}`)
  return chain.join(',')
}

function startPipeline(req: SynthRequest, output: string) {
  const wpm = Math.round(Math.max(80, Math.min(450, ESPEAK_WPM * req.speed)))
  const espeak = spawnTool('espeak-ng', [
    '--stdin',
    '--stdout',
    '-v',
    req.voice.voice,
    '-p',
    String(req.voice.pitch),
    '-s',
    String(wpm),
  ])
  const ffmpeg = spawnTool('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'wav',
    '-i',
    'pipe:0',
    '-af',
    filters(req),
    '-ac',
    '1',
    '-ar',
    String(KOKORO_SAMPLE_RATE),
    '-map_metadata',
    '-1',
    // Bit-exact output: no encoder tag chunk in WAV, identical bytes for identical requests.
    '-flags',
    '+bitexact',
    '-fflags',
    '+bitexact',
    ...ENCODERS[req.format],
    '-y',
    output,
  ])
  // Either side may exit early (client gone, bad input); the exit codes report that, not EPIPE.
  espeak.stdin?.on('error', () => {})
  ffmpeg.stdin?.on('error', () => {})
  espeak.stdout?.pipe(ffmpeg.stdin!)
  espeak.stdin?.end(req.text)
  const done = Promise.all([exited(espeak, 'espeak-ng'), exited(ffmpeg, 'ffmpeg')]).then(([e, f]) => {
    if (e.code !== 0) throw new Error(`espeak-ng failed (${e.code}): ${e.stderr.trim().slice(-300)}`)
    if (f.code !== 0) throw new Error(`ffmpeg failed (${f.code}): ${f.stderr.trim().slice(-300)}`)
  })
  const kill = () => {
    for (const p of [espeak, ffmpeg] as ChildProcess[]) if (p.exitCode === null) p.kill('SIGKILL')
  }
  return { ffmpeg, done, kill }
}

/** Synthesises to a complete file and returns its bytes (the `stream: false` path). */
export async function synthesizeFile(
  req: SynthRequest,
  signal?: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'spark-sim-kokoro-'))
  try {
    const out = join(dir, `speech.${req.format}`)
    const { done, kill } = startPipeline(req, out)
    signal?.addEventListener('abort', kill, { once: true })
    try {
      await done
    } finally {
      signal?.removeEventListener('abort', kill)
    }
    return new Uint8Array(await readFile(out))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Starts synthesis and resolves once the first encoded bytes exist (or fails before any header is
 * sent, so errors still become proper HTTP errors). The stream follows ffmpeg's output with
 * backpressure, and cancelling it kills both processes.
 */
export async function synthesizeStream(
  req: SynthRequest,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const { ffmpeg, done, kill } = startPipeline(req, 'pipe:1')
  signal?.addEventListener('abort', kill, { once: true })
  const out = ffmpeg.stdout!
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let closed = false
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c
      },
      pull: () => {
        out.resume()
      },
      cancel: () => {
        closed = true
        kill()
      },
    },
    { highWaterMark: 8 },
  )
  let firstChunk!: () => void
  const first = new Promise<void>((resolve) => (firstChunk = resolve))
  out.on('data', (d: Buffer) => {
    if (closed) return
    controller.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
    firstChunk()
    if ((controller.desiredSize ?? 1) <= 0) out.pause()
  })
  const finished = done.then(
    () => {
      if (!closed) controller.close()
      closed = true
    },
    (err: unknown) => {
      if (!closed) controller.error(err)
      closed = true
      throw err
    },
  )
  finished.catch(() => {}).finally(() => signal?.removeEventListener('abort', kill))
  await Promise.race([first, finished])
  return stream
}
