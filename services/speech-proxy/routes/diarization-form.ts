/**
 * Reading a diarization request's form: speaker-count hints, priority, and known speakers given as
 * reference clips in data URLs (`known_speaker_names[]` beside `known_speaker_references[]`, as
 * speaches and OpenAI's diarizing transcription take them). Decoded clips are written into the
 * upload's own directory, so the upload's cleanup removes them.
 */
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { type FieldIssue, validationFailed } from '../../../shared/errors.ts'
import type { Upload } from '../adapters/upload.ts'
import type { Priority } from '../domain/admission/lanes.ts'
import type { KnownSpeaker } from '../domain/diarize/pipeline.ts'
import type { SpeakerHints } from '../domain/transcribe/ports.ts'
import { formField, formList } from './audio-request.ts'

/** Sortformer links at most this many voices in a chunk, but a recording may hold many more. */
const MAX_SPEAKERS = 64
const MAX_KNOWN = 16
const PRIORITIES: readonly Priority[] = ['interactive', 'standard', 'batch']

const issue = (field: string, message: string): FieldIssue => ({
  field: `body.${field}`,
  message,
  location: 'body',
})

/** `num_speakers`, `min_speakers`, `max_speakers`: whole numbers 1–64, min ≤ max; 422 otherwise. */
export function speakerHints(fields: Upload['fields']): SpeakerHints {
  const issues: FieldIssue[] = []
  const read = (name: string) => {
    const raw = formField(fields, name)
    if (raw === undefined) return undefined
    const n = Number(raw)
    if (Number.isInteger(n) && n >= 1 && n <= MAX_SPEAKERS) return n
    issues.push(issue(name, `must be a whole number from 1 to ${MAX_SPEAKERS}`))
    return undefined
  }
  const hints = { num: read('num_speakers'), min: read('min_speakers'), max: read('max_speakers') }
  if (hints.min !== undefined && hints.max !== undefined && hints.min > hints.max)
    issues.push(issue('min_speakers', 'must not be more than max_speakers'))
  if (issues.length > 0) throw validationFailed(issues)
  return Object.fromEntries(Object.entries(hints).filter(([, v]) => v !== undefined))
}

/** The `priority` field (an extension), when given; 422 for anything but the three lanes' priorities. */
export function priorityOf(fields: Upload['fields']): Priority | undefined {
  const raw = formField(fields, 'priority')
  if (raw === undefined) return undefined
  if ((PRIORITIES as readonly string[]).includes(raw)) return raw as Priority
  throw validationFailed([issue('priority', `must be one of ${PRIORITIES.join(', ')}`)])
}

const DATA_URL = /^data:([\w.+/-]+)?((?:;[\w-]+=[^;,]*)*);base64,([A-Za-z0-9+/=\s]+)$/

/**
 * Known speakers' reference clips, decoded to files beside the upload. Names and references pair
 * by position; a reference must be a base64 `data:` URL (a URL to fetch is refused: the service
 * does not reach out to addresses a client names).
 */
export async function knownSpeakers(upload: Upload, mainPath: string): Promise<KnownSpeaker[]> {
  const names = formList(upload.fields, 'known_speaker_names[]', 'known_speaker_names')
  const refs = [
    upload.fields['known_speaker_references[]'] ?? upload.fields.known_speaker_references ?? [],
  ].flat()
  if (names.length !== refs.length)
    throw validationFailed([
      issue('known_speaker_references', `${refs.length} references for ${names.length} known_speaker_names`),
    ])
  if (names.length > MAX_KNOWN)
    throw validationFailed([issue('known_speaker_names', `at most ${MAX_KNOWN} known speakers`)])
  if (new Set(names).size !== names.length)
    throw validationFailed([issue('known_speaker_names', 'names must be distinct')])
  const out: KnownSpeaker[] = []
  for (const [i, name] of names.entries()) {
    const m = DATA_URL.exec((refs[i] as string).trim())
    if (!m)
      throw validationFailed([
        issue(
          `known_speaker_references.${i}`,
          'must be a base64 data URL of audio (data:audio/wav;base64,…)',
        ),
      ])
    const path = join(dirname(mainPath), `known-${i}.audio`)
    await writeFile(path, Buffer.from((m[3] as string).replace(/\s+/g, ''), 'base64'))
    out.push({ name, path })
  }
  return out
}
