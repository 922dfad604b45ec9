/**
 * What a `POST /v1/audio/speech` body becomes before it reaches Kokoro. The shape is checked by the
 * contract's schema; here the rules the schema cannot say: the input's configured length, the blend
 * syntax (whether each voice exists is Kokoro's call, and its 400 names the voices it has), `sse`
 * streaming (not served), and our own `priority`, which never goes upstream.
 */

import type { SpeechRequestBody } from '../../../../shared/contracts/speech-proxy.ts'
import { badRequest, validationFailed } from '../../../../shared/errors.ts'
import type { Priority } from '../admission/lanes.ts'

/** `af_bella`, `af_bella(2)`, `af_bella(0.5)`: a name and an optional positive weight. */
const BLEND_ITEM = /^[A-Za-z0-9_]+(\(\s*(\d+(\.\d*)?|\.\d+)\s*\))?$/

export interface SpeechPlan {
  /** The body sent to Kokoro: OpenAI's fields and Kokoro's extras, without ours. */
  upstream: Record<string, unknown>
  format: SpeechRequestBody['response_format']
  stream: boolean
  priority: Priority
}

const PRIORITY_RANK: Record<Priority, number> = { interactive: 0, standard: 1, batch: 2 }

/** Priorities a client may choose; speech is interactive unless it says it can wait. */
export function requestedPriority(...asked: (string | undefined)[]): Priority {
  let priority: Priority = 'interactive'
  for (const value of asked) {
    if (value === undefined || value === '') continue
    if (!(value in PRIORITY_RANK))
      throw validationFailed([{ field: 'priority', message: 'must be interactive, standard or batch' }])
    if (PRIORITY_RANK[value as Priority] > PRIORITY_RANK[priority]) priority = value as Priority
  }
  return priority
}

/** Blend syntax only: `a(2)+b(1)-c`. Returns the problem in words, or null when it reads. */
export function blendProblem(voice: string): string | null {
  const text = voice.trim()
  if (!text) return 'must not be empty'
  if (/^[+-]|[+-]$|[+-]\s*[+-]/.test(text)) return `'${voice}' has a '+' or '-' with no voice beside it`
  for (const item of text.split(/[+-]/)) {
    const part = item.trim()
    if (!BLEND_ITEM.test(part)) return `'${part}' is not a voice name with an optional (weight)`
    const weight = /\(\s*([\d.]+)\s*\)/.exec(part)?.[1]
    if (weight !== undefined && !(Number(weight) > 0)) return `the weight of '${part}' must be above 0`
  }
  return null
}

export function planSpeech(
  body: SpeechRequestBody,
  opts: { maxInputChars: number; headerPriority?: string },
): SpeechPlan {
  if (body.stream_format === 'sse')
    throw badRequest("stream_format 'sse' is not served: Kokoro streams raw audio; use 'audio'.", {
      issues: [{ field: 'stream_format', message: "only 'audio' is served" }],
    })
  if (body.input.length > opts.maxInputChars)
    throw validationFailed([
      { field: 'input', message: `is ${body.input.length} characters; the limit is ${opts.maxInputChars}` },
    ])
  const voice = typeof body.voice === 'string' ? body.voice : body.voice.id
  const problem = blendProblem(voice)
  if (problem) throw validationFailed([{ field: 'voice', message: problem }])
  const { priority, stream_format: _format, voice: _voice, ...rest } = body
  return {
    upstream: { ...rest, voice: voice.trim() },
    format: body.response_format,
    stream: body.stream,
    priority: requestedPriority(priority, opts.headerPriority),
  }
}

const CONTENT_TYPES: Record<SpeechPlan['format'], string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
}

/** What the audio is, when Kokoro did not say. */
export const contentTypeFor = (format: SpeechPlan['format']) => CONTENT_TYPES[format]
