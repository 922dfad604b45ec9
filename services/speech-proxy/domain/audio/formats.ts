/**
 * A transcript in each `response_format` OpenAI's transcription endpoint knows (json, text, srt,
 * vtt, verbose_json, diarized_json), plus RTTM, the diarization tools' exchange format. The JSON
 * shapes are OpenAI's, so the official SDKs parse them; speakers are added where OpenAI has none.
 */
import type { Segment, Transcript } from './types.ts'
import { bareWord } from './words.ts'

export const RESPONSE_FORMATS = [
  'json',
  'text',
  'srt',
  'vtt',
  'verbose_json',
  'diarized_json',
  'rttm',
] as const
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number]

export interface RenderOptions {
  /** OpenAI's `timestamp_granularities[]`: verbose_json carries `words` only when `word` is asked for. */
  granularities?: readonly ('word' | 'segment')[]
  /** The recording's name in RTTM lines (no spaces). */
  fileId?: string
}

export interface Rendered {
  body: string
  contentType: string
}

const JSON_TYPE = 'application/json'
const TEXT_TYPE = 'text/plain; charset=utf-8'

export function render(t: Transcript, format: ResponseFormat, opts: RenderOptions = {}): Rendered {
  switch (format) {
    case 'json':
      return json({ text: t.text })
    case 'text':
      return { body: `${t.text}\n`, contentType: TEXT_TYPE }
    case 'srt':
      return { body: srt(cues(t)), contentType: TEXT_TYPE }
    case 'vtt':
      return { body: vtt(cues(t)), contentType: 'text/vtt; charset=utf-8' }
    case 'verbose_json':
      return json(verboseJson(t, opts))
    case 'diarized_json':
      return json(diarizedJson(t))
    case 'rttm':
      return { body: rttm(t, opts.fileId), contentType: TEXT_TYPE }
  }
}

const json = (value: unknown): Rendered => ({ body: JSON.stringify(value), contentType: JSON_TYPE })

/** Caption cues: the segments, or the whole text as one cue when there are none. */
function cues(t: Transcript): Segment[] {
  if (t.segments.length > 0) return t.segments
  return t.text ? [{ id: 0, start: 0, end: t.duration, text: t.text }] : []
}

/** `01:02:03,456` (SRT) or `01:02:03.456` (WebVTT); rounded to the millisecond. */
export function timestamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000))
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor(ms / 60_000) % 60
  const s = Math.floor(ms / 1000) % 60
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`
}

function srt(segments: Segment[]): string {
  return segments
    .map((s, i) => {
      const who = s.speaker ? `[${s.speaker}] ` : ''
      return `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(s.end, ',')}\n${who}${s.text.trim()}\n`
    })
    .join('\n')
}

function vtt(segments: Segment[]): string {
  const body = segments.map((s) => {
    // WebVTT's voice span names the speaker in a way players understand.
    const text = s.speaker ? `<v ${s.speaker}>${s.text.trim()}` : s.text.trim()
    return `${timestamp(s.start, '.')} --> ${timestamp(s.end, '.')}\n${text}\n`
  })
  return ['WEBVTT\n', ...body].join('\n')
}

function verboseJson(t: Transcript, opts: RenderOptions) {
  const granularities = opts.granularities ?? ['segment']
  return {
    task: 'transcribe',
    language: t.language ?? 'unknown',
    duration: t.duration,
    text: t.text,
    segments: t.segments.map((s) => ({
      id: s.id,
      start: s.start,
      end: s.end,
      text: s.text,
      ...(s.speaker !== undefined ? { speaker: s.speaker } : {}),
    })),
    ...(granularities.includes('word')
      ? {
          words: t.words.map((w) => ({
            word: bareWord(w.word),
            start: w.start,
            end: w.end,
            ...(w.speaker !== undefined ? { speaker: w.speaker } : {}),
          })),
        }
      : {}),
  }
}

function diarizedJson(t: Transcript) {
  return {
    task: 'transcribe',
    duration: t.duration,
    text: t.text,
    segments: t.segments.map((s, i) => ({
      id: `seg_${i}`,
      type: 'transcript.text.segment',
      speaker: s.speaker ?? 'unknown',
      start: s.start,
      end: s.end,
      text: s.text,
    })),
  }
}

/** One `SPEAKER` line per segment that has a speaker (NIST RTTM: onset and duration in seconds). */
function rttm(t: Transcript, fileId = 'audio'): string {
  const uri = fileId.replace(/\s+/g, '_') || 'audio'
  return t.segments
    .filter((s) => s.speaker !== undefined)
    .map((s) => {
      const speaker = (s.speaker as string).replace(/\s+/g, '_')
      // Onset and end rounded first, so the duration agrees with the captions' millisecond times.
      const [onsetMs, endMs] = [Math.round(s.start * 1000), Math.round(s.end * 1000)]
      const seconds = (ms: number) => (ms / 1000).toFixed(3)
      return `SPEAKER ${uri} 1 ${seconds(onsetMs)} ${seconds(endMs - onsetMs)} <NA> <NA> ${speaker} <NA> <NA>\n`
    })
    .join('')
}
