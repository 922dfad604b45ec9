/**
 * Turns analysed audio into a (simulated) Parakeet transcript and renders it in the OpenAI
 * `response_format`s the Parakeet wrappers serve: json, text, srt, vtt, verbose_json.
 */
import type { Frames } from './audio/features.ts'
import { audioHash, joinWords, simulatedWords, type TimedWord } from './audio/lexicon.ts'
import { detectSpeech, round3 } from './audio/vad.ts'

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

export function transcribe(frames: Frames): Transcript {
  const segments: TranscriptSegment[] = []
  for (const speech of detectSpeech(frames)) {
    const span = speech.end - speech.start
    const parts = Math.max(1, Math.ceil(span / MAX_SEGMENT_S))
    const frameCount = speech.last - speech.first + 1
    for (let p = 0; p < parts; p++) {
      const first = speech.first + Math.floor((frameCount * p) / parts)
      const last = speech.first + Math.floor((frameCount * (p + 1)) / parts) - 1
      const start = round3(speech.start + (span * p) / parts)
      const end = round3(speech.start + (span * (p + 1)) / parts)
      const words = simulatedWords(audioHash(frames, first, last), start, end)
      segments.push({ id: segments.length, start, end, text: joinWords(words), words })
    }
  }
  return {
    duration: round3(frames.durationS),
    text: segments.map((s) => s.text).join(' '),
    segments,
  }
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

export function toVerboseJson(t: Transcript, granularities: string[]) {
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
            text: s.text,
            tokens: [],
            temperature: 0,
            avg_logprob: -0.12,
            compression_ratio: 1.3,
            no_speech_prob: 0.01,
          })),
        }
      : {}),
    ...(wantWords ? { words: t.segments.flatMap((s) => s.words) } : {}),
    // verbose_json tolerates extra fields, so this is where the transcript says what it is.
    model: PARAKEET_MODEL,
    simulated: true,
    simulation_note:
      'spark-sim: segment times come from real voice activity in the audio; the words are placeholders',
  }
}

export function render(t: Transcript, format: ResponseFormat, granularities: string[]): Response {
  switch (format) {
    case 'text':
      return new Response(t.text, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    case 'srt':
      return new Response(toSrt(t), { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    case 'vtt':
      return new Response(toVtt(t), { headers: { 'content-type': 'text/vtt; charset=utf-8' } })
    case 'verbose_json':
      return Response.json(toVerboseJson(t, granularities))
    default:
      return Response.json({ text: t.text })
  }
}
