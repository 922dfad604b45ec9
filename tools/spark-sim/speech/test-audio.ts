/**
 * Real speech fixtures for the speech emulator tests (and the demo): espeak-ng says each line,
 * sox trims its leading/trailing silence (so the spoken span is exactly known), converts to 16 kHz
 * mono and concatenates lines and silences. The returned spans are the ground truth.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runToolOk } from './audio/tools.ts'

export type Piece = { voice: string; text: string; pitch?: number } | { silence: number }

export interface Span {
  voice: string
  start: number
  end: number
}

export interface Fixture {
  path: string
  duration: number
  spans: Span[]
}

export const makeTempDir = (prefix: string) => mkdtemp(join(tmpdir(), `spark-sim-${prefix}-`))

let counter = 0

async function durationOf(path: string): Promise<number> {
  return Number((await runToolOk('sox', ['--i', '-D', path])).toString().trim())
}

/** Builds `name.wav` in `dir` from lines and silences. */
export async function makeSpeech(dir: string, name: string, pieces: Piece[]): Promise<Fixture> {
  const parts: string[] = []
  const spans: Span[] = []
  let t = 0
  for (const piece of pieces) {
    const part = join(dir, `piece-${counter++}.wav`)
    if ('silence' in piece) {
      await runToolOk('sox', [
        '-n',
        '-r',
        '16000',
        '-c',
        '1',
        '-b',
        '16',
        part,
        'trim',
        '0',
        String(piece.silence),
      ])
      t += piece.silence
    } else {
      const raw = join(dir, `raw-${counter++}.wav`)
      const args = ['-v', piece.voice, '-w', raw]
      if (piece.pitch !== undefined) args.push('-p', String(piece.pitch))
      await runToolOk('espeak-ng', [...args, '--stdin'], { input: piece.text })
      // silence…reverse…silence…reverse strips silence at both ends.
      const trim = ['silence', '1', '0.01', '0.1%', 'reverse', 'silence', '1', '0.01', '0.1%', 'reverse']
      await runToolOk('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', part, ...trim])
      const d = await durationOf(part)
      spans.push({
        voice: piece.voice + (piece.pitch !== undefined ? `/p${piece.pitch}` : ''),
        start: t,
        end: t + d,
      })
      t += d
    }
    parts.push(part)
  }
  const path = join(dir, `${name}.wav`)
  await runToolOk('sox', [...parts, path])
  return { path, duration: await durationOf(path), spans }
}
