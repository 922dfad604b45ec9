/**
 * The transcription pipeline's ports on this machine: a private scratch directory per job (under
 * the OS temp dir unless configured) and the ffmpeg tools.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AudioTools, Workspace } from '../domain/transcribe/ports.ts'
import { channelsIdentical, cut, probe, silences, toMono16k } from './ffmpeg.ts'

export const ffmpegTools: AudioTools = { probe, channelsIdentical, toMono16k, silences, cut }

/** Makes a new scratch directory for each job; `remove` deletes it with everything in it. */
export function workspaces(parent: string = tmpdir()): () => Promise<Workspace> {
  return async () => {
    const dir = await mkdtemp(join(parent, 'speech-job-'))
    return {
      file: (name) => join(dir, name),
      remove: () => rm(dir, { recursive: true, force: true }),
    }
  }
}
