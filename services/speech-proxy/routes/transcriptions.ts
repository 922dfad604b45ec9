/**
 * `POST /v1/audio/transcriptions`: OpenAI's transcription endpoint in front of Parakeet. The form
 * is OpenAI's (domain/transcribe/options.ts has the fields and extensions); the answer is rendered
 * in the asked `response_format`, with `X-Queue-Position` and `Server-Timing` (queue, decode, asr,
 * diar, merge). Failures are AppErrors, which the service renders as OpenAI's error envelope here.
 */
import { createRoute } from '@hono/zod-openapi'
import { validationFailed } from '../../../shared/errors.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { render } from '../domain/audio/formats.ts'
import { parseTranscriptionForm } from '../domain/transcribe/options.ts'
import type { Pipeline } from '../domain/transcribe/pipeline.ts'
import {
  clientOf,
  formField,
  formList,
  timingHeaders,
  type UploadLimits,
  withUpload,
} from './audio-request.ts'
import { errorResponse } from './schemas.ts'
import { transcriptionForm } from './transcriptions-schemas.ts'

export interface TranscriptionRouteDeps extends UploadLimits {
  pipeline: Pipeline
  /** Budgets of the ASR and diarize lanes' work for one request, in ms. */
  deadlines: { asr: number; diarize: number }
}

const route = createRoute({
  method: 'post',
  path: '/v1/audio/transcriptions',
  summary: 'Transcribe audio (OpenAI-compatible), long files chunked at silences, optionally with speakers',
  description:
    'Accepts wav, flac, mp3, m4a, ogg/opus and webm. A file longer than one chunk is cut at pauses, each ' +
    'chunk queued in the ASR lane, and stitched back with file-wide timestamps. `diarize=true` (or ' +
    '`response_format=diarized_json|rttm`) adds speakers. Headers: `X-Queue-Position`, `Server-Timing`.',
  request: { body: { content: { 'multipart/form-data': { schema: transcriptionForm } }, required: true } },
  responses: {
    200: {
      description: 'The transcript in the asked format (JSON for json/verbose_json/diarized_json, else text)',
      content: {
        'application/json': { schema: { type: 'object' } },
        'text/plain': { schema: { type: 'string' } },
      },
    },
    413: errorResponse('The upload is over the size limit (named in the message)'),
    415: errorResponse('Not multipart, or the file is not audio (ffprobe says why)'),
    422: errorResponse('A form field is missing or invalid'),
    429: errorResponse('This client has too many requests running or queued; see Retry-After'),
    502: errorResponse('Parakeet answered with an error or something that is not a transcript'),
    503: errorResponse(
      'Parakeet is unreachable, wedged (Retry-After 60) or the queue is too long; see Retry-After',
    ),
    504: errorResponse('Parakeet did not answer in time'),
  },
})

export function transcriptionRoutes(deps: TranscriptionRouteDeps): ServiceApp {
  const app = createRouter()
  // Registered for the documentation only: a zod form schema would make Hono read the whole body
  // into memory, and the upload must stream to disk (adapters/upload.ts).
  app.openAPIRegistry.registerPath(route)
  app.post(route.path, (c) =>
    withUpload(c, deps, ['file'], async (upload) => {
      const form = parseTranscriptionForm({
        get: (name) => formField(upload.fields, name),
        list: (...names) => formList(upload.fields, ...names),
      })
      if (Array.isArray(form)) throw validationFailed(form)
      const file = upload.files.file!
      const outcome = await deps.pipeline.transcribe({
        path: file.path,
        language: form.language,
        diarize: form.diarize,
        speakers: form.speakers,
        priority: form.priority,
        client: clientOf(c),
        deadlines: deps.deadlines,
        chunking: form.chunking,
        signal: c.req.raw.signal,
      })
      const renderStarted = performance.now()
      const fileId = (file.filename ?? 'audio').replace(/\.[^.]*$/, '')
      const rendered = render(outcome.transcript, form.format, { granularities: form.granularities, fileId })
      const headers = timingHeaders(outcome, performance.now() - renderStarted)
      return c.body(rendered.body, 200, { ...headers, 'Content-Type': rendered.contentType })
    }),
  )
  return app
}
