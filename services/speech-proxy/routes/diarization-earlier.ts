/**
 * The earlier version's diarization routes, wire-compatible (seconds, `{"detail"}` errors):
 *
 * - `POST /api/audio/diarize` — the whole file; now chunked and linked behind the same answer
 *   `{duration, segments:[{start,end,speaker,confidence}], speakers_detected, models}`, so a long
 *   meeting keeps its speakers apart beyond Sortformer's four.
 * - `POST /api/audio/diarize-chunk` — for clients that chunk themselves: one upstream call, its
 *   chunk-local labels, per-segment `confidence` and 192-float `fingerprints` passed on as they are.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { validationFailed } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { clientOf, withUpload } from './audio-request.ts'
import { type DiarizationRouteDeps, diarizeUpload, serverTiming } from './diarization.ts'
import { priorityOf } from './diarization-form.ts'

// FastAPI's error body, as the earlier version answered.
const Detail = z.object({ detail: z.unknown() })
const detail = (description: string) => jsonContent(description, Detail)
const upload = z.object({ file: z.string().openapi({ format: 'binary' }) })
const Models = z.object({ diarization: z.string(), embedding: z.string().optional() })

export const EarlierDiarization = z
  .object({
    duration: z.number(),
    segments: z.array(
      z.object({
        start: z.number(),
        end: z.number(),
        speaker: z.string(),
        confidence: z.number().optional(),
      }),
    ),
    speakers_detected: z.array(z.string()),
    models: Models,
  })
  .openapi('EarlierDiarization')

export const EarlierDiarizedChunk = z
  .object({
    duration: z.number(),
    segments: z.array(
      z.object({
        start_s: z.number(),
        end_s: z.number(),
        speaker: z.string(),
        confidence: z.number().optional(),
      }),
    ),
    speakers_detected: z.array(z.string()),
    fingerprints: z.record(z.string(), z.array(z.number())),
    models: Models,
  })
  .openapi('EarlierDiarizedChunk')

const errors = {
  413: detail('The upload is over 200 MB'),
  415: detail('The file is not audio'),
  422: detail('The file field is missing'),
  429: detail('This client has too many speech requests running or queued'),
  502: detail('The diarizer failed'),
  503: detail('The diarizer is unreachable or wedged (Retry-After: 60), or the queue is full'),
  504: detail('The diarizer did not answer in time'),
}

const multipart = (schema: z.ZodType) => ({
  body: { content: { 'multipart/form-data': { schema } }, required: true },
})

const diarizeRoute = createRoute({
  method: 'post',
  path: '/api/audio/diarize',
  summary: 'Diarize a whole recording (earlier API; seconds)',
  request: multipart(
    upload.extend({
      num_speakers: z.number().int().optional(),
      min_speakers: z.number().int().optional(),
      max_speakers: z.number().int().optional(),
    }),
  ),
  responses: {
    200: jsonContent('Speaker turns in seconds, linked across chunks', EarlierDiarization),
    ...errors,
  },
})

const chunkRoute = createRoute({
  method: 'post',
  path: '/api/audio/diarize-chunk',
  summary: 'Diarize one chunk the client cut (earlier API): chunk-local labels and voice embeddings',
  request: multipart(upload),
  responses: { 200: jsonContent('The diarizer’s answer for this chunk', EarlierDiarizedChunk), ...errors },
})

export function earlierDiarizationRoutes(deps: DiarizationRouteDeps): ServiceApp {
  const app = createRouter()
  app.openAPIRegistry.registerPath(diarizeRoute)
  app.openAPIRegistry.registerPath(chunkRoute)
  app.post(diarizeRoute.path, (c) =>
    diarizeUpload(c, deps, { chunking: 'auto', knownClips: false }, (outcome) =>
      c.json({
        duration: outcome.duration,
        segments: outcome.segments,
        speakers_detected: outcome.speakers,
        models: {
          diarization: outcome.models.diarization,
          ...(outcome.models.embedding ? { embedding: outcome.models.embedding } : {}),
        },
      }),
    ),
  )
  app.post(chunkRoute.path, (c) =>
    withUpload(c, deps.limits, ['file'], async (up) => {
      const file = up.files.file
      if (!file) throw validationFailed([{ field: 'body.file', message: 'Field required', location: 'body' }])
      const { chunk, timings, queuePosition } = await deps.diarizer.diarizeChunk({
        path: file.path,
        priority: priorityOf(up.fields),
        client: clientOf(c),
        deadlineMs: deps.deadlineS * 1000,
        signal: c.req.raw.signal,
      })
      c.header('X-Queue-Position', String(queuePosition))
      c.header('Server-Timing', serverTiming(timings))
      return c.json(chunk)
    }),
  )
  return app
}
