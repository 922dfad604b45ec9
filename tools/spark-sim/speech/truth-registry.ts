/**
 * Ground truth the simulated Parakeet may answer from. No ASR model runs here, so a fixture builder
 * registers what each line of its recording says; the emulator, which only ever sees uploaded chunks
 * (cut, resampled, attenuated, delayed, mixed), recognises the lines by their sound. A registry is a
 * directory (`SPARK_SIM_TRUTH_DIR`) of JSON files, one per registered recording, each holding every
 * line's text, speaker, times and the frame codes of its audio (audio/signature.ts).
 */
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { analyzeFile } from './audio/decode.ts'
import { FRAME_S, type Frames } from './audio/features.ts'
import { type Codes, frameCodes } from './audio/signature.ts'

export interface TruthLineInput {
  speaker: string
  text: string
  /** Seconds from the start of the recording. */
  start: number
  end: number
  /** Which channel of a stereo recording the line is on; absent for mono or a mixed-down line. */
  channel?: number
}

export interface TruthLine {
  speaker: string
  text: string
  start: number
  end: number
  /** Source time of the line's frame 0 (its codes start there). */
  codeStartS: number
  codes: Codes
}

const VERSION = 1

const encode = (a: Uint32Array | Uint8Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')
function decodeU32(s: string): Uint32Array {
  const b = Buffer.from(s, 'base64')
  const out = new Uint32Array(b.byteLength / 4)
  new Uint8Array(out.buffer).set(b)
  return out
}

function lineCodes(frames: Frames, line: TruthLineInput) {
  const first = Math.max(0, Math.floor(line.start / FRAME_S))
  const last = Math.min(frames.count - 1, Math.ceil(line.end / FRAME_S) - 1)
  const codes = frameCodes(frames, first, last)
  return {
    speaker: line.speaker,
    text: line.text,
    start: line.start,
    end: line.end,
    codeStartS: first * FRAME_S,
    code: encode(codes.code),
    valid: encode(codes.valid),
  }
}

/**
 * Registers a recording's lines in the registry `dir` (created if missing). Decodes the recording
 * once per channel its lines use; the file name is a digest of the audio and the lines, so
 * registering the same fixture twice writes the same file. Returns the registry file's path.
 */
export async function registerTruth(
  dir: string,
  audioPath: string,
  lines: TruthLineInput[],
): Promise<string> {
  const audio = await readFile(audioPath)
  const digest = createHash('sha256').update(audio).update(JSON.stringify(lines)).digest('hex')
  const target = join(dir, `${digest.slice(0, 32)}.json`)
  if (
    await stat(target).then(
      () => true,
      () => false,
    )
  )
    return target
  const byChannel = new Map<number | undefined, Frames>()
  for (const channel of new Set(lines.map((l) => l.channel)))
    byChannel.set(channel, await analyzeFile(audioPath, { channel, pitch: false }))
  const body = {
    version: VERSION,
    source: basename(audioPath),
    lines: lines.map((l) => lineCodes(byChannel.get(l.channel)!, l)),
  }
  await mkdir(dir, { recursive: true })
  // Written aside and renamed, so a running emulator never reads half a file.
  const tmp = `${target}.${process.pid}.tmp`
  await writeFile(tmp, JSON.stringify(body))
  await rename(tmp, target)
  return target
}

/** Reads `<audio>.truth.json` (`{ lines: [...] }`, the fixture builder's file) and registers it. */
export async function registerTruthFile(dir: string, audioPath: string, truthPath?: string): Promise<string> {
  const path = truthPath ?? audioPath.replace(/\.[^./]+$/, '.truth.json')
  const parsed = JSON.parse(await readFile(path, 'utf8')) as { lines: TruthLineInput[] }
  return registerTruth(dir, audioPath, parsed.lines)
}

interface Cached {
  key: string
  lines: TruthLine[]
}
const cache = new Map<string, Cached>()

function parseFile(text: string): TruthLine[] {
  const body = JSON.parse(text) as {
    version: number
    lines: Array<Omit<TruthLine, 'codes'> & { code: string; valid: string }>
  }
  if (body.version !== VERSION) return []
  return body.lines.map(({ code, valid, ...rest }) => ({
    ...rest,
    codes: { code: decodeU32(code), valid: new Uint8Array(Buffer.from(valid, 'base64')) },
  }))
}

/**
 * Every line registered in `dir`. Files are re-read only when they change, so tests may register
 * fixtures while the emulator runs; a missing directory is an empty registry.
 */
export async function loadTruth(dir: string): Promise<TruthLine[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const all: TruthLine[] = []
  const paths = names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => join(dir, n))
  for (const path of cache.keys())
    if (path.startsWith(join(dir, '/')) && !paths.includes(path)) cache.delete(path)
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined)
    if (!info) continue
    const key = `${info.mtimeMs}:${info.size}`
    let entry = cache.get(path)
    if (entry?.key !== key) {
      const lines = await readFile(path, 'utf8').then(parseFile, () => [])
      entry = { key, lines }
      cache.set(path, entry)
    }
    all.push(...entry.lines)
  }
  return all
}
