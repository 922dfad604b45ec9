/**
 * Fakes for the transcription pipeline's ports: a "recording" of timed words, audio tools that
 * remember which span each cut holds, and an ASR that answers each file with the words inside its
 * span, in the file's own seconds. Test-only code.
 */
import { writeFile } from 'node:fs/promises'
import type { Word } from '../audio/types.ts'
import type { AudioTools, SpeechEngine } from './ports.ts'

export interface Recording {
  durationS: number
  channels?: number
  identical?: boolean
  words: Word[]
}

/** Words `w0 w1 …` of 0.4 s each, a 0.2 s gap after each, a 1 s pause after every `sentence` words (ended with a full stop). */
export function recording(durationS: number, sentence = 8): Recording {
  const words: Word[] = []
  let t = 0.5
  for (let i = 0; t + 0.4 < durationS - 0.5; i++) {
    const last = i % sentence === sentence - 1
    words.push({ word: last ? `w${i}.` : `w${i}`, start: t, end: t + 0.4 })
    t += 0.6 + (last ? 1 : 0)
  }
  return { durationS, words }
}

export interface FakeCalls {
  cuts: { start: number; dur: number }[]
  monoOpts: { channel?: 0 | 1 }[]
  silences: number
}

export function fakeTools(
  rec: Recording,
  spans: Map<string, { start: number; end: number }>,
): AudioTools & {
  calls: FakeCalls
} {
  const calls: FakeCalls = { cuts: [], monoOpts: [], silences: 0 }
  return {
    calls,
    probe: async () => ({ durationS: rec.durationS, channels: rec.channels ?? 1 }),
    channelsIdentical: async () => rec.identical ?? false,
    async toMono16k(_path, out, _signal, opts = {}) {
      calls.monoOpts.push(opts)
      await writeFile(out, 'pcm')
      spans.set(out, { start: 0, end: rec.durationS })
    },
    async silences() {
      calls.silences++
      // The gaps between words are the pauses.
      return rec.words.slice(1).map((w, i) => ({ start: rec.words[i]!.end, end: w.start }))
    },
    async cut(_path, out, start, dur) {
      calls.cuts.push({ start, dur })
      await writeFile(out, 'pcm')
      spans.set(out, { start, end: start + dur })
    },
  }
}

export interface FakeEngine extends SpeechEngine {
  /** Calls running now, and the most at once. */
  active(): number
  peak(): number
  transcribed: number
}

/** Answers each file with the recording's words inside its span (chunk-local), optionally spaced. */
export function fakeEngine(
  rec: Recording,
  spans: Map<string, { start: number; end: number }>,
  opts: { leadingSpaces?: boolean; hold?: (signal: AbortSignal) => Promise<void> } = {},
): FakeEngine {
  let active = 0
  let peak = 0
  const engine: FakeEngine = {
    active: () => active,
    peak: () => peak,
    transcribed: 0,
    async transcribe(path, { signal }) {
      active++
      peak = Math.max(peak, active)
      try {
        await opts.hold?.(signal)
        const span = spans.get(path)
        if (!span) throw new Error(`no such audio ${path}`)
        // A word the cut slices through is still heard (the margins make sure it is whole somewhere).
        const words = rec.words
          .filter((w) => w.end > span.start && w.start < span.end)
          .map((w) => ({
            word: opts.leadingSpaces ? ` ${w.word}` : w.word,
            start: w.start - span.start,
            end: w.end - span.start,
          }))
        engine.transcribed++
        return {
          duration: span.end - span.start,
          language: 'english',
          text: words.map((w) => w.word).join(''),
          words,
          segments: [],
          model: 'fake-parakeet',
        }
      } finally {
        active--
      }
    },
    async diarizeChunk(path) {
      const span = spans.get(path)!
      // Two voices taking sentences in turn: Speaker_1 for even sentences (so labels need renumbering).
      const turns = rec.words
        .filter((w) => w.end > span.start && w.start < span.end)
        .map((w) => ({
          start_s: w.start - span.start,
          end_s: w.end - span.start,
          speaker: Math.floor(Number(w.word.replace(/\D/g, '')) / 8) % 2 === 0 ? 'Speaker_1' : 'Speaker_0',
        }))
      return {
        duration: span.end - span.start,
        segments: turns,
        speakers_detected: [...new Set(turns.map((t) => t.speaker))],
        fingerprints: {},
      }
    },
  }
  return engine
}
