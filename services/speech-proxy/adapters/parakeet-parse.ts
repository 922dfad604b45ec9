/**
 * Reading Parakeet's answers into the service's shapes. Wrappers differ in what they include
 * (segments without words, words with or without a leading space, no language), so every field but
 * the timed words is optional; anything that is not a transcript at all is a 502.
 */
import { upstreamFailed } from '../../../shared/errors.ts'
import type { Segment, Word } from '../domain/audio/types.ts'
import type { DiarizedTurn } from '../domain/speakers/types.ts'
import type { AsrResult, DiarizeResult } from '../domain/transcribe/ports.ts'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

function timed<T>(items: unknown[], make: (o: Json, start: number, end: number) => T | null): T[] {
  const out: T[] = []
  for (const item of items) {
    if (!isObject(item)) continue
    const start = num(item.start ?? item.start_s)
    const end = num(item.end ?? item.end_s)
    if (start === null || end === null) continue
    const made = make(item, start, Math.max(start, end))
    if (made !== null) out.push(made)
  }
  return out
}

/** An OpenAI verbose_json transcription (words and segments in the audio's own seconds). */
export function parseTranscription(service: string, body: unknown): AsrResult {
  if (!isObject(body) || typeof body.text !== 'string')
    throw upstreamFailed(service, 'answered with something that is not a transcription')
  const words = timed<Word>(list(body.words), (o, start, end) => {
    const word = str(o.word)
    return word === null || word.trim() === '' ? null : { word, start, end }
  })
  const segments = timed<Segment>(list(body.segments), (o, start, end) => ({
    id: num(o.id) ?? 0,
    start,
    end,
    text: (str(o.text) ?? '').trim(),
  }))
  return {
    duration: num(body.duration) ?? 0,
    language: str(body.language),
    text: body.text.trim(),
    words,
    segments,
    model: str(body.model),
  }
}

/** The diarize-chunk answer: turns in chunk-local seconds, chunk-local labels, optional voice embeddings. */
export function parseDiarizedChunk(service: string, body: unknown): DiarizeResult {
  if (!isObject(body) || !Array.isArray(body.segments))
    throw upstreamFailed(service, 'answered with something that is not a diarization')
  const segments = timed<DiarizedTurn>(body.segments, (o, start_s, end_s) => {
    const speaker = str(o.speaker)
    if (speaker === null) return null
    const confidence = num(o.confidence)
    return { start_s, end_s, speaker, ...(confidence !== null ? { confidence } : {}) }
  })
  const fingerprints: Record<string, number[]> = {}
  if (isObject(body.fingerprints))
    for (const [label, vector] of Object.entries(body.fingerprints))
      if (Array.isArray(vector) && vector.every((x) => typeof x === 'number')) fingerprints[label] = vector
  const detected = list(body.speakers_detected).filter((s): s is string => typeof s === 'string')
  const models = isObject(body.models) ? body.models : {}
  return {
    duration: num(body.duration) ?? 0,
    segments,
    speakers_detected: detected.length > 0 ? detected : [...new Set(segments.map((s) => s.speaker))],
    fingerprints,
    models: {
      ...(str(models.diarization) ? { diarization: str(models.diarization) as string } : {}),
      ...(str(models.embedding) ? { embedding: str(models.embedding) as string } : {}),
    },
  }
}
