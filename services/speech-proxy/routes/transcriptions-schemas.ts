/**
 * The transcription form for the OpenAPI document. A plain schema object, not zod: a zod form
 * schema would make the router parse (and buffer) the multipart body itself.
 */
import { PRIORITIES } from '../domain/admission/lanes.ts'
import { RESPONSE_FORMATS } from '../domain/audio/formats.ts'

const text = (description: string) => ({ type: 'string' as const, description })
const count = (description: string) => ({ type: 'integer' as const, minimum: 1, maximum: 64, description })

export const transcriptionForm = {
  type: 'object' as const,
  required: ['file'],
  properties: {
    file: { type: 'string' as const, format: 'binary', description: 'wav, flac, mp3, m4a, ogg/opus or webm' },
    model: text('Accepted and ignored: Parakeet serves one model'),
    language: text('ISO-639 code or language name, passed to Parakeet'),
    prompt: text('Accepted and ignored'),
    temperature: { type: 'number' as const, description: 'Accepted and ignored' },
    response_format: { type: 'string' as const, enum: [...RESPONSE_FORMATS], default: 'json' },
    'timestamp_granularities[]': {
      type: 'array' as const,
      items: { type: 'string' as const, enum: ['word', 'segment'] },
      description: 'verbose_json carries `words` only when `word` is asked for',
    },
    diarize: { type: 'boolean' as const, default: false, description: 'Label each segment with its speaker' },
    num_speakers: count('Speakers expected (a hint to the speaker linking)'),
    min_speakers: count('At least this many speakers (hint)'),
    max_speakers: count('At most this many speakers (hint)'),
    priority: {
      type: 'string' as const,
      enum: [...PRIORITIES],
      description: 'Queue priority; standard by default, batch for the chunks of a long file',
    },
    chunking: {
      type: 'string' as const,
      enum: ['auto', 'off'],
      default: 'auto',
      description: 'off sends the whole file in one call, however long',
    },
  },
}
