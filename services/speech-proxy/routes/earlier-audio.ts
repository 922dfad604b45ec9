/**
 * The earlier version's audio API under `/api/audio/*` (docs/COMPATIBILITY.md), `{"detail": ...}`
 * errors. `transcribe-with-speakers` runs ASR and the diarizer side by side (the diarizer over its own
 * short chunks, speakers linked across them), gives each word the speaker whose turn it falls in, and
 * answers speaker blocks in milliseconds — a new block on a change of speaker or a pause over 1.5 s.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { Priority } from '../domain/admission/lanes.ts'
import type { Pipeline, TranscribeOutcome } from '../domain/transcribe/pipeline.ts'
import { DEFAULT_DIARIZATION_MODEL } from '../domain/transcribe/pipeline.ts'
import { clientOf, formField, timingHeaders, type UploadLimits, withUpload } from './audio-request.ts'

export interface EarlierAudioRouteDeps extends UploadLimits {
  pipeline: Pipeline
  deadlines: { asr: number; diarize: number }
}

const Detail = z.object({ detail: z.unknown() }).openapi('EarlierAudioError')
const detail = (description: string) => jsonContent(description, Detail)

export const SpeakerTranscript = z
  .object({
    duration: z.number().openapi({ description: 'Seconds' }),
    language: z.string().nullable(),
    speakers_detected: z.array(z.string()),
    segments: z.array(
      z.object({
        start_ms: z.number().int(),
        end_ms: z.number().int(),
        speaker: z.string().openapi({ example: 'Speaker_0' }),
        text: z.string(),
      }),
    ),
    models: z.object({ transcription: z.string(), diarization: z.string() }),
  })
  .openapi('SpeakerTranscript')

const withSpeakers = createRoute({
  method: 'post',
  path: '/api/audio/transcribe-with-speakers',
  summary: 'Transcript in speaker blocks (the earlier audio API; times in milliseconds)',
  request: {
    body: {
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary' }, language: { type: 'string' } },
          },
        },
      },
      required: true,
    },
  },
  responses: {
    200: jsonContent('Speaker blocks', SpeakerTranscript),
    413: detail('The upload is over 200 MB (or the configured limit)'),
    415: detail('The file is not audio'),
    422: detail('No file'),
    503: detail('Parakeet is unreachable or wedged (Retry-After: 60), or the queue is too long'),
    504: detail('Parakeet did not answer in time'),
  },
})

export function earlierAudioRoutes(deps: EarlierAudioRouteDeps): ServiceApp {
  const app = createRouter()
  // Documentation only: the upload streams to disk instead of being parsed by the router.
  app.openAPIRegistry.registerPath(withSpeakers)
  app.post(withSpeakers.path, (c) =>
    withUpload(c, deps, ['file'], async (upload) => {
      const priority = formField(upload.fields, 'priority')
      const outcome = await deps.pipeline.transcribe({
        path: upload.files.file!.path,
        language: formField(upload.fields, 'language')?.replace(/[^A-Za-z-]/g, '') || undefined,
        diarize: true,
        ...(priority === 'interactive' || priority === 'batch' ? { priority: priority as Priority } : {}),
        client: clientOf(c),
        deadlines: deps.deadlines,
        chunking: 'auto',
        signal: c.req.raw.signal,
      })
      const started = performance.now()
      const body = speakerTranscript(outcome)
      return c.json(body, 200, timingHeaders(outcome, performance.now() - started))
    }),
  )
  return app
}

export function speakerTranscript(outcome: TranscribeOutcome): z.infer<typeof SpeakerTranscript> {
  const t = outcome.transcript
  return {
    duration: t.duration,
    language: t.language,
    speakers_detected: t.speakers ?? [],
    segments: t.segments.map((s) => ({
      start_ms: Math.round(s.start * 1000),
      end_ms: Math.round(s.end * 1000),
      speaker: s.speaker ?? 'Speaker_0',
      text: s.text,
    })),
    models: {
      transcription: outcome.models.transcription,
      diarization: outcome.models.diarization ?? DEFAULT_DIARIZATION_MODEL,
    },
  }
}
