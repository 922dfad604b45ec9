/**
 * The transcription form as OpenAI defines it (`model`, `language`, `prompt`, `response_format`,
 * `timestamp_granularities[]`, `temperature`) plus this service's extensions (`diarize`,
 * `num_speakers`/`min_speakers`/`max_speakers`, `priority`, `chunking`). `model`, `prompt` and
 * `temperature` are accepted and ignored: Parakeet has one model and takes neither.
 */
import type { FieldIssue } from '../../../../shared/errors.ts'
import { PRIORITIES, type Priority } from '../admission/lanes.ts'
import { RESPONSE_FORMATS, type ResponseFormat } from '../audio/formats.ts'

export interface TranscriptionForm {
  format: ResponseFormat
  granularities: ('word' | 'segment')[]
  language?: string
  diarize: boolean
  speakers: { num?: number; min?: number; max?: number }
  priority?: Priority
  chunking: 'auto' | 'off'
}

export interface FormInput {
  get(name: string): string | undefined
  list(...names: string[]): string[]
}

// `field` is the form field's own name: the detail style prefixes the location ("loc": ["body", "language"]).
const issue = (field: string, message: string): FieldIssue => ({ field, location: 'body', message })

/** The parsed form, or the list of what is wrong with it (422). */
export function parseTranscriptionForm(input: FormInput): TranscriptionForm | FieldIssue[] {
  const issues: FieldIssue[] = []
  const format = (input.get('response_format') ?? 'json') as ResponseFormat
  if (!RESPONSE_FORMATS.includes(format))
    issues.push(issue('response_format', `Use one of ${RESPONSE_FORMATS.join(', ')}.`))
  const granularities = input.list('timestamp_granularities[]', 'timestamp_granularities')
  const badGranularity = granularities.find((g) => g !== 'word' && g !== 'segment')
  if (badGranularity)
    issues.push(issue('timestamp_granularities[]', `'${badGranularity}' is not word or segment.`))
  const language = input.get('language')
  if (language !== undefined && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$|^[a-z]{4,20}$/.test(language))
    issues.push(issue('language', 'Give an ISO-639 code such as en, or a language name such as english.'))
  const diarizeField = input.get('diarize')
  const diarize = flag(diarizeField)
  if (diarizeField !== undefined && diarize === null) issues.push(issue('diarize', 'Use true or false.'))
  const priority = input.get('priority')
  if (priority !== undefined && !PRIORITIES.includes(priority as Priority))
    issues.push(issue('priority', `Use one of ${PRIORITIES.join(', ')}.`))
  const chunking = input.get('chunking') ?? 'auto'
  if (chunking !== 'auto' && chunking !== 'off') issues.push(issue('chunking', 'Use auto or off.'))
  const speakers: TranscriptionForm['speakers'] = {}
  for (const [key, field] of [
    ['num', 'num_speakers'],
    ['min', 'min_speakers'],
    ['max', 'max_speakers'],
  ] as const) {
    const raw = input.get(field)
    if (raw === undefined) continue
    const n = Number(raw)
    if (!Number.isInteger(n) || n < 1 || n > 64)
      issues.push(issue(field, 'Give a whole number from 1 to 64.'))
    else speakers[key] = n
  }
  if (speakers.min !== undefined && speakers.max !== undefined && speakers.min > speakers.max)
    issues.push(issue('min_speakers', 'min_speakers is more than max_speakers.'))
  if (issues.length > 0) return issues
  return {
    format,
    granularities: granularities as ('word' | 'segment')[],
    ...(language ? { language } : {}),
    // Speaker formats need speakers; asking for them is asking for diarization.
    diarize: diarize === true || format === 'diarized_json' || format === 'rttm',
    speakers,
    ...(priority ? { priority: priority as Priority } : {}),
    chunking: chunking as 'auto' | 'off',
  }
}

function flag(value: string | undefined): boolean | null {
  if (value === undefined) return false
  if (/^(1|true|yes|on)$/i.test(value)) return true
  if (/^(0|false|no|off)$/i.test(value)) return false
  return null
}
