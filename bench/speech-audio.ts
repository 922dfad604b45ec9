/**
 * Long recordings for the speech benchmark: the six-speaker meeting fixture (real espeak-ng speech,
 * tests/fixtures/audio) looped to the wanted length and encoded as mono MP3 at 48 kbit/s, the way a
 * meeting recorder would upload it (a 2-hour WAV would be over the 200 MB upload limit). Built once
 * per machine in the OS temp dir, keyed by the source and the length.
 */
import { createHash } from 'node:crypto'
import { mkdir, rename, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { meeting } from '../tests/fixtures/audio/fixtures.ts'
import { run } from '../tests/fixtures/audio/run.ts'

export interface Recording {
  path: string
  minutes: number
  bytes: number
}

export async function recording(minutes: number): Promise<Recording> {
  const source = await meeting()
  const key = createHash('sha256').update(`${source.path}\n${minutes}`).digest('hex').slice(0, 12)
  const dir = join(tmpdir(), 'speech-bench')
  const path = join(dir, `meeting-${minutes}min-${key}.mp3`)
  const done = await stat(path).catch(() => null)
  if (done) return { path, minutes, bytes: done.size }
  await mkdir(dir, { recursive: true })
  const loops = Math.ceil((minutes * 60) / source.duration)
  const scratch = `${path}.${process.pid}.tmp.mp3`
  await run('ffmpeg', [
    '-v',
    'error',
    '-nostdin',
    '-y',
    '-stream_loop',
    String(loops),
    '-i',
    source.path,
    '-t',
    String(minutes * 60),
    '-ac',
    '1',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '48k',
    scratch,
  ])
  await rename(scratch, path)
  return { path, minutes, bytes: (await stat(path)).size }
}
