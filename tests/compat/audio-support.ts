/**
 * What the audio compatibility files share: the target (the demo stack with a low upload limit, or
 * COMPAT_BASE_URL), the fixtures copied privately with their ground truth registered for the
 * simulated Parakeet, a multipart poster and text checks.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { registerTruthFile } from '../../tools/spark-sim/speech/truth-registry.ts'
import {
  type AudioFixture,
  type CallFixture,
  dialogue,
  stereoCall,
  truthPathFor,
} from '../fixtures/audio/fixtures.ts'
import { compatTarget } from './target.ts'

/** Low on the demo stack, so an oversize upload is quick; a real deployment keeps its 200 MB. */
export const DEMO_AUDIO_LIMIT = 8 * 1024 * 1024
export const SPEAKER = /^Speaker_\d+$/
export const SPACE_BEFORE_PUNCTUATION = /\s[.,!?;:%]/

export interface AudioFiles {
  talk: AudioFixture
  call: CallFixture
  /** Private copies (the shared fixture cache may be rebuilt by a parallel suite), truth registered. */
  dialogue: string
  mic: string
  system: string
  stereo: string
}

export interface Answer {
  status: number
  type: string
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: the answers are checked field by field by the tests
  body: any
}

/** Call at a test file's top level: the target, and the fixtures once its beforeAll has run. */
export async function audioTarget(name: string) {
  const registry = await mkdtemp(join(tmpdir(), `compat-${name}-truth-`))
  // The simulated Parakeet reads this when the demo stack starts it, in the target's beforeAll.
  if (!process.env.COMPAT_BASE_URL) process.env.SPARK_SIM_TRUTH_DIR = registry
  const target = compatTarget(name, { AUDIO_BODY_LIMIT_BYTES: String(DEMO_AUDIO_LIMIT) })
  const files = {} as AudioFiles
  const copies: string[] = []

  beforeAll(async () => {
    const [talk, call] = await Promise.all([dialogue(), stereoCall()])
    const keep = async (from: string, as: string) => {
      const copy = `${registry}-${as}`
      copies.push(copy)
      await copyFile(from, copy)
      await registerTruthFile(registry, copy, truthPathFor(from))
      return copy
    }
    Object.assign(files, {
      talk,
      call,
      dialogue: await keep(talk.path, 'dialogue.wav'),
      mic: await keep(call.micPath, 'mic.wav'),
      system: await keep(call.systemPath, 'system.wav'),
      stereo: await keep(call.path, 'call.wav'),
    })
  }, 120_000)
  afterAll(async () => {
    if (process.env.SPARK_SIM_TRUTH_DIR === registry) delete process.env.SPARK_SIM_TRUTH_DIR
    await Promise.all([registry, ...copies].map((p) => rm(p, { recursive: true, force: true })))
  })

  async function postForm(
    path: string,
    parts: Record<string, string | string[]>,
    uploads: Record<string, string>,
  ): Promise<Answer> {
    const form = new FormData()
    for (const [field, file] of Object.entries(uploads))
      form.set(field, new Blob([await readFile(file)], { type: 'audio/wav' }), basename(file))
    for (const [k, v] of Object.entries(parts)) for (const item of [v].flat()) form.append(k, item)
    const res = await fetch(target.url(path), { method: 'POST', body: form })
    const type = res.headers.get('content-type') ?? ''
    const body = type.includes('json') ? await res.json() : await res.text()
    return { status: res.status, type, headers: res.headers, body }
  }

  return { target, files, postForm }
}

/** A line of the fixture's ground truth appears in `text` (case and punctuation aside). */
export function says(text: string, line: string): boolean {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9 ]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  return norm(text).includes(norm(line))
}

export const isInt = (n: unknown) => Number.isInteger(n)
