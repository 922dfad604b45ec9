/**
 * The transcription routes against the simulated Parakeet, in process: fixtures copied privately
 * (the shared cache may be rebuilt by a parallel suite), their ground truth registered so the
 * simulator says their words, and a form poster. Test-only code.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { truthPathFor } from '../../../tests/fixtures/audio/fixtures.ts'
import {
  type ParakeetHandle,
  type ParakeetOptions,
  startParakeet,
} from '../../../tools/spark-sim/speech/parakeet.ts'
import { registerTruthFile } from '../../../tools/spark-sim/speech/truth-registry.ts'
import { type HarnessOptions, speechApp } from './harness.ts'

export interface TranscriptionBed {
  dir: string
  /** Where the service keeps uploads and job workspaces: empty between requests. */
  scratch: string
  parakeet: ParakeetHandle
  app: ReturnType<typeof speechApp>['app']
  /** A private copy of a fixture file, its truth registered with the simulator when it has one. */
  keep(path: string, opts?: { truth?: boolean; name?: string }): Promise<string>
  post(path: string, file: string, fields?: Record<string, string | string[]>): Promise<Response>
  leftovers(): Promise<string[]>
  close(): Promise<void>
}

export async function startTranscriptionBed(
  options: HarnessOptions & { parakeet?: ParakeetOptions } = {},
): Promise<TranscriptionBed> {
  const dir = await mkdtemp(join(tmpdir(), 'speech-transcription-'))
  const registry = join(dir, 'registry')
  const scratch = join(dir, 'scratch')
  await mkdir(scratch)
  await mkdir(registry)
  const parakeet = await startParakeet({
    host: '127.0.0.1',
    port: 0,
    truthDir: registry,
    busyHealthDelayMs: 0,
  })
  const { app } = speechApp({
    ...options,
    parakeetUrl: parakeet.url,
    transcription: { tmpDir: scratch, ...options.transcription },
  })
  let copies = 0
  return {
    dir,
    scratch,
    parakeet,
    app,
    async keep(path, opts = {}) {
      const copy = join(dir, `${copies++}-${opts.name ?? basename(path)}`)
      await copyFile(path, copy)
      if (opts.truth !== false) await registerTruthFile(registry, copy, truthPathFor(path))
      return copy
    },
    async post(path, file, fields = {}) {
      const form = new FormData()
      form.set('file', new Blob([await readFile(file)]), basename(file))
      for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) form.append(k, item)
      return app.request(path, { method: 'POST', body: form })
    },
    leftovers: () => readdir(scratch),
    async close() {
      await parakeet.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
