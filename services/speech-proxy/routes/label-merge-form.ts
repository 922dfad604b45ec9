/**
 * Reading a label-merge form (the earlier version's fields): the audio as `file`, or `mic_file` +
 * `system_file`; `timeline`, `self_vad` and `known_voiceprints` as JSON strings; `self_name`;
 * `transcribe`; and the `priority` extension. A field that is not what it should be is a 422
 * naming it, before any audio work starts.
 */
import { z } from '@hono/zod-openapi'
import { type FieldIssue, validationFailed } from '../../../shared/errors.ts'
import type { Upload } from '../adapters/upload.ts'
import type { LabelMergeJob } from '../domain/label-merge/pipeline.ts'
import { formField } from './audio-request.ts'
import { priorityOf } from './diarization-form.ts'

export const FILE_FIELDS = ['file', 'mic_file', 'system_file'] as const

/** Whose lines the mic side's are when the client does not say. */
export const DEFAULT_SELF_NAME = 'Me'

const seconds = z.number().finite().nonnegative()
const Span = z.object({ start: seconds, end: seconds })
const Timeline = z.array(
  Span.extend({
    name: z.string().min(1),
    // Earlier clients send null for "not given".
    confidence: z.number().min(0).max(1).nullish(),
  }),
)
const Voiceprints = z.record(z.string().min(1), z.array(z.number().finite()).min(1))

// Located in the body, so FastAPI's `loc` reads ['body', field] on the earlier route.
const issue = (field: string, message: string): FieldIssue => ({ field, message, location: 'body' })

/** A JSON field parsed and checked; undefined when absent or blank. */
function jsonField<T>(
  fields: Upload['fields'],
  name: string,
  schema: z.ZodType<T>,
  shape: string,
): T | undefined {
  const raw = formField(fields, name)
  if (raw === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (err) {
    throw validationFailed([issue(name, `is not valid JSON (${(err as Error).message}); send ${shape}`)])
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const [first] = parsed.error.issues
    const at = first?.path.length ? ` at ${first.path.join('.')}` : ''
    throw validationFailed([issue(name, `must be ${shape}: ${first?.message ?? 'wrong shape'}${at}`)])
  }
  return parsed.data
}

function flag(fields: Upload['fields'], name: string, fallback: boolean): boolean {
  const raw = formField(fields, name)
  if (raw === undefined) return fallback
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw validationFailed([issue(name, 'must be true or false')])
}

function audioOf(upload: Upload): LabelMergeJob['audio'] {
  const { file, mic_file: mic, system_file: system } = upload.files
  if (mic || system) {
    if (!mic) throw validationFailed([issue('mic_file', 'is required with system_file')])
    if (!system) throw validationFailed([issue('system_file', 'is required with mic_file')])
    return { micFile: mic.path, systemFile: system.path }
  }
  if (!file)
    throw validationFailed([issue('file', 'An audio file is required (file, or mic_file + system_file)')])
  return { file: file.path }
}

export function readLabelMergeForm(upload: Upload): Omit<LabelMergeJob, 'client' | 'signal'> {
  const { fields } = upload
  const timeline = jsonField(fields, 'timeline', Timeline, 'a JSON list of {start, end, name, confidence}')
  const selfVad = jsonField(fields, 'self_vad', z.array(Span), 'a JSON list of {start, end}')
  const knownVoiceprints = jsonField(
    fields,
    'known_voiceprints',
    Voiceprints,
    'a JSON object {name: [floats]}',
  )
  const priority = priorityOf(fields)
  return {
    audio: audioOf(upload),
    transcribe: flag(fields, 'transcribe', true),
    selfName: formField(fields, 'self_name') ?? DEFAULT_SELF_NAME,
    ...(timeline
      ? {
          timeline: timeline.map(({ confidence, ...e }) =>
            confidence === null || confidence === undefined ? e : { ...e, confidence },
          ),
        }
      : {}),
    ...(selfVad ? { selfVad } : {}),
    ...(knownVoiceprints ? { knownVoiceprints } : {}),
    ...(priority ? { priority } : {}),
  }
}
