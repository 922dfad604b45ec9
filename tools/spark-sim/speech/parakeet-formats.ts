/**
 * Turns analysed audio into a (simulated) Parakeet transcript and renders it in the OpenAI
 * `response_format`s the Parakeet wrappers serve: json, text, srt, vtt, verbose_json.
 */
import { FRAME_S, type Frames } from './audio/features.ts'
import { audioHash, joinWords, simulatedWords, type TimedWord } from './audio/lexicon.ts'
import { detectSpeech, round3, speechThresholdDb } from './audio/vad.ts'
import type { TruthIndex } from './truth-match.ts'
import { truthPieces } from './truth-transcript.ts'

export const PARAKEET_MODEL = 'nvidia/parakeet-tdt-0.6b-v3'
export const RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number]
// Parakeet segments end at sentence punctuation; a long monologue is split so no segment runs on.
const MAX_SEGMENT_S = 12

export interface TranscriptSegment {
  id: number
  start: number
  end: number
  text: string
  words: TimedWord[]
}

export interface Transcript {
  duration: number
  text: string
  segments: TranscriptSegment[]
}

/** Placeholder words for frames [first, last], split so no segment runs past MAX_SEGMENT_S. */
function placeholderSegments(frames: Frames, first: number, last: number, from: number, to: number) {
  const span = to - from
  const parts = Math.max(1, Math.ceil(span / MAX_SEGMENT_S))
  const frameCount = last - first + 1
  return Array.from({ length: parts }, (_, p) => {
    const a = first + Math.floor((frameCount * p) / parts)
    const b = first + Math.floor((frameCount * (p + 1)) / parts) - 1
    const start = round3(from + (span * p) / parts)
    const end = round3(from + (span * (p + 1)) / parts)
    return { start, end, words: simulatedWords(audioHash(frames, a, b), start, end) }
  })
}

/**
 * The transcript of analysed audio. With a ground-truth index, speech that matches a registered line
 * says that line's words (one segment per line), each misheard with probability `wordErrorRate`;
 * all other speech gets placeholder words.
 */
export function transcribe(frames: Frames, truth?: TruthIndex, wordErrorRate = 0): Transcript {
  const groups: Array<{ start: number; end: number; words: TimedWord[] }> = []
  const threshold = speechThresholdDb(frames)
  for (const speech of detectSpeech(frames)) {
    if (!truth || truth.lines.length === 0) {
      groups.push(...placeholderSegments(frames, speech.first, speech.last, speech.start, speech.end))
      continue
    }
    for (const piece of truthPieces(frames, speech, truth, threshold, wordErrorRate)) {
      if (piece.words)
        groups.push({ start: piece.words[0]!.start, end: piece.words.at(-1)!.end, words: piece.words })
      else {
        const from = Math.max(speech.start, round3(piece.first * FRAME_S))
        const to = Math.min(speech.end, round3((piece.last + 1) * FRAME_S))
        groups.push(...placeholderSegments(frames, piece.first, piece.last, from, to))
      }
    }
  }
  const segments = groups.map((g, id) => ({ id, ...g, text: joinWords(g.words) }))
  return { duration: round3(frames.durationS), text: segments.map((s) => s.text).join(' '), segments }
}

const clock = (seconds: number, sep: ',' | '.') => {
  const ms = Math.round(seconds * 1000)
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = Math.floor((ms % 60_000) / 1000)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(ms % 1000, 3)}`
}

export const toSrt = (t: Transcript) =>
  t.segments
    .map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n${s.text}\n`)
    .join('\n')

export const toVtt = (t: Transcript) =>
  `WEBVTT\n\n${t.segments.map((s) => `${clock(s.start, '.')} --> ${clock(s.end, '.')}\n${s.text}\n`).join('\n')}`

export interface RenderOptions {
  /**
   * Whisper-style spacing: every word and segment text starts with a space (`" hello"`). The
   * Spark-hosted Parakeet returns NeMo's words as they are (`"hello"`); callers must handle both.
   */
  leadingSpaces?: boolean
}

const spaced = (text: string, on: boolean | undefined) => (on ? ` ${text}` : text)

export function toVerboseJson(t: Transcript, granularities: string[], options: RenderOptions = {}) {
  // OpenAI: segment timestamps unless only words were asked for; words only when asked for.
  const wantWords = granularities.includes('word')
  const wantSegments = granularities.length === 0 || granularities.includes('segment')
  return {
    task: 'transcribe',
    language: 'english',
    duration: t.duration,
    text: t.text,
    ...(wantSegments
      ? {
          segments: t.segments.map((s) => ({
            id: s.id,
            seek: 0,
            start: s.start,
            end: s.end,
            text: spaced(s.text, options.leadingSpaces),
            tokens: [],
            temperature: 0,
            avg_logprob: -0.12,
            compression_ratio: 1.3,
            no_speech_prob: 0.01,
          })),
        }
      : {}),
    ...(wantWords
      ? {
          words: t.segments.flatMap((s) =>
            s.words.map((w) => ({ ...w, word: spaced(w.word, options.leadingSpaces) })),
          ),
        }
      : {}),
    // verbose_json tolerates extra fields, so this is where the transcript says what it is.
    model: PARAKEET_MODEL,
    simulated: true,
    simulation_note:
      'spark-sim: segment times come from real voice activity in the audio; speech that matches a ' +
      'registered ground-truth line says its words, other words are placeholders',
  }
}

export function render(
  t: Transcript,
  format: ResponseFormat,
  granularities: string[],
  options: RenderOptions = {},
): Response {
  switch (format) {
    case 'text':
      return new Response(t.text, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    case 'srt':
      return new Response(toSrt(t), { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    case 'vtt':
      return new Response(toVtt(t), { headers: { 'content-type': 'text/vtt; charset=utf-8' } })
    case 'verbose_json':
      return Response.json(toVerboseJson(t, granularities, options))
    default:
      return Response.json({ text: t.text })
  }
}
