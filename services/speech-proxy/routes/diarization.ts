/**
 * `POST /v1/audio/diarization`: who spoke when, speaches-compatible. The file is diarized in chunks
 * through the `diarize` admission lane and the chunks' labels linked into the recording's speakers,
 * so a meeting with more voices than Sortformer's four slots keeps distinct, stable labels.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { validationFailed } from '../../../shared/errors.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { Upload } from '../adapters/upload.ts'
import { render } from '../domain/audio/formats.ts'
import type { DiarizeOutcome, Diarizer, DiarizeTimings } from '../domain/diarize/pipeline.ts'
import { clientOf, formField, type UploadLimits, withUpload } from './audio-request.ts'
import { knownSpeakers, priorityOf, speakerHints } from './diarization-form.ts'
import { errorResponse } from './schemas.ts'

export interface DiarizationRouteDeps {
  diarizer: Diarizer
  limits: UploadLimits
  /** Budget of one diarization, queue included (SPEECH_DIARIZE_DEADLINE_S). */
  deadlineS: number
}

export const DiarizationForm = z
  .object({
    file: z
      .string()
      .openapi({ format: 'binary', description: 'The recording (wav, flac, mp3, m4a, ogg, webm)' }),
    model: z.string().optional().openapi({ description: 'Accepted for compatibility; Sortformer answers' }),
    response_format: z.enum(['json', 'rttm']).optional(),
    num_speakers: z.number().int().min(1).max(64).optional(),
    min_speakers: z.number().int().min(1).max(64).optional(),
    max_speakers: z.number().int().min(1).max(64).optional(),
    'known_speaker_names[]': z.array(z.string()).optional(),
    'known_speaker_references[]': z
      .array(z.string())
      .optional()
      .openapi({ description: 'Base64 data URLs of short clips, one per name, in the same order' }),
    priority: z.enum(['interactive', 'standard', 'batch']).optional(),
  })
  .openapi('DiarizationForm')

export const DiarizationResult = z
  .object({
    duration: z.number().openapi({ description: 'Seconds' }),
    segments: z.array(z.object({ start: z.number(), end: z.number(), speaker: z.string() })),
    speakers: z.array(z.string()),
  })
  .openapi('DiarizationResult')

export const diarizationRoute = createRoute({
  method: 'post',
  path: '/v1/audio/diarization',
  summary: 'Speaker diarization of a recording of any length',
  description:
    'Multipart. Long recordings are cut at pauses, each chunk diarized in the `diarize` lane, and ' +
    'the chunks’ speakers linked by what they share in their overlaps and by voice embeddings ' +
    '(cosine, SPEECH_LINK_THRESHOLD). Speakers are `Speaker_0..` in order of first appearance, or ' +
    'the known name whose reference clip matches. Seconds throughout; `rttm` gives NIST RTTM lines.',
  request: { body: { content: { 'multipart/form-data': { schema: DiarizationForm } }, required: true } },
  responses: {
    200: {
      description: 'Who spoke when',
      content: {
        'application/json': { schema: DiarizationResult },
        'text/plain': { schema: z.string().openapi({ description: 'RTTM' }) },
      },
    },
    413: errorResponse('The upload is over the limit (200 MB by default)'),
    415: errorResponse('The file is not audio'),
    422: errorResponse('A field is missing or invalid'),
    429: errorResponse('This client has too many speech requests running or queued'),
    502: errorResponse('The diarizer failed'),
    503: errorResponse(
      'The diarizer is unreachable or wedged, or the queue cannot take it in time; see Retry-After',
    ),
    504: errorResponse('The diarizer did not answer in time'),
  },
})

/** A diarization from a multipart request: hints, priority and known speakers read from the form. */
export function diarizeUpload<T>(
  c: Context,
  deps: DiarizationRouteDeps,
  opts: { chunking: 'auto' | 'off'; knownClips: boolean; check?: (fields: Upload['fields']) => void },
  answer: (outcome: DiarizeOutcome, fields: Record<string, string | string[]>, filename: string | null) => T,
): Promise<T> {
  return withUpload(c, deps.limits, ['file'], async (upload) => {
    const file = upload.files.file
    if (!file) throw validationFailed([{ field: 'body.file', message: 'Field required', location: 'body' }])
    opts.check?.(upload.fields)
    const outcome = await deps.diarizer.diarize({
      path: file.path,
      hints: speakerHints(upload.fields),
      known: opts.knownClips ? await knownSpeakers(upload, file.path) : [],
      priority: priorityOf(upload.fields),
      client: clientOf(c),
      deadlineMs: deps.deadlineS * 1000,
      chunking: opts.chunking,
      signal: c.req.raw.signal,
    })
    c.header('X-Queue-Position', String(outcome.queuePosition))
    c.header('Server-Timing', serverTiming(outcome.timings))
    return answer(outcome, upload.fields, file.filename)
  })
}

export function serverTiming(t: DiarizeTimings): string {
  return Object.entries(t)
    .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
    .join(', ')
}

function formatOf(fields: Upload['fields']): 'json' | 'rttm' {
  const format = formField(fields, 'response_format') ?? 'json'
  if (format === 'json' || format === 'rttm') return format
  throw validationFailed([
    { field: 'body.response_format', message: 'must be json or rttm', location: 'body' },
  ])
}

export function diarizationRoutes(deps: DiarizationRouteDeps): ServiceApp {
  const app = createRouter()
  app.openAPIRegistry.registerPath(diarizationRoute)
  // The body is streamed to disk by withUpload, never parsed whole by a validator.
  app.post(diarizationRoute.path, (c) =>
    diarizeUpload(
      c,
      deps,
      { chunking: 'auto', knownClips: true, check: formatOf },
      (outcome, fields, filename) => {
        if (formatOf(fields) === 'rttm') {
          const segments = outcome.segments.map((s, id) => ({
            id,
            start: s.start,
            end: s.end,
            text: '',
            speaker: s.speaker,
          }))
          const t = { duration: outcome.duration, language: null, text: '', words: [], segments }
          const fileId = (filename ?? 'audio').replace(/\.[^.]*$/, '')
          const rendered = render(t, 'rttm', { fileId })
          return c.body(rendered.body, 200, { 'content-type': rendered.contentType })
        }
        return c.json({
          duration: outcome.duration,
          segments: outcome.segments.map(({ start, end, speaker }) => ({ start, end, speaker })),
          speakers: outcome.speakers,
        })
      },
    ),
  )
  return app
}
