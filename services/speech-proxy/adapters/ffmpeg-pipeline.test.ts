/**
 * The long-audio path on real audio: the 10.5-minute meeting is normalised, its pauses found, a
 * chunk plan made from them, each chunk cut out, and what each chunk "hears" (the ground truth's
 * words that fall inside it, in chunk time) stitched back. Only the ASR is stood in for.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { meeting } from '../../../tests/fixtures/audio/fixtures.ts'
import { planChunks } from '../domain/audio/chunking.ts'
import { type ChunkResult, stitch } from '../domain/audio/stitch.ts'
import type { Word } from '../domain/audio/types.ts'
import { cut, probe, silences, toMono16k } from './ffmpeg.ts'
import { wavLayout } from './ffmpeg-pcm.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-test-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const signal = new AbortController().signal
const opts = { targetS: 120, maxS: 180, marginS: 12 }

describe('long audio on the real meeting', () => {
  it('cuts only in pauses between lines, and stitches every word back once, in order', async () => {
    const m = await meeting()
    const wav = join(dir, 'meeting.wav')
    await toMono16k(m.path, wav, signal)
    const { durationS } = await probe(wav, signal)
    const plan = planChunks(durationS, await silences(wav, signal, { minS: 0.3 }), opts)
    expect(plan.length).toBeGreaterThanOrEqual(5)
    for (const c of plan.slice(1))
      expect(m.lines.every((l) => c.bodyStart <= l.start || c.bodyStart >= l.end)).toBe(true)

    // Words spread evenly over each truth line: good enough to check ownership at the cuts.
    const words: Word[] = m.lines.flatMap((l) => {
      const parts = l.text.split(' ')
      const step = (l.end - l.start) / parts.length
      return parts.map((word, i) => ({
        word,
        start: l.start + i * step,
        end: l.start + (i + 1) * step,
        speaker: l.speaker,
      }))
    })
    const results: ChunkResult[] = []
    for (const chunk of plan) {
      const piece = join(dir, `chunk-${chunk.index}.wav`)
      await cut(wav, piece, chunk.start, chunk.end - chunk.start, signal)
      const { frames } = await wavLayout(piece)
      expect(Math.abs(frames / 16_000 - (chunk.end - chunk.start))).toBeLessThan(0.001)
      expect(frames / 16_000).toBeLessThanOrEqual(opts.maxS + 0.001)
      const heard = words
        .filter((w) => w.end > chunk.start && w.start < chunk.end)
        .map((w) => ({ ...w, word: ` ${w.word}`, start: w.start - chunk.start, end: w.end - chunk.start }))
      results.push({ chunk, words: heard, segments: [] })
    }
    const out = stitch(results)
    expect(out.words.map((w) => [w.word.trim(), w.speaker])).toEqual(words.map((w) => [w.word, w.speaker]))
    expect(out.text).toBe(m.lines.map((l) => l.text).join(' '))
  }, 60_000)
})
