/**
 * Label-merge: who said what in a call or a meeting, named. `POST /v1/audio/label-merge` answers
 * the merge itself in seconds (OpenAI-style errors); the earlier `POST /api/audio/label-merge`
 * answers the transcript app's shape — milliseconds and text with `transcribe=true`, seconds and
 * confidence without — with `{"detail": …}` errors. Both take the same form and run the same
 * pipeline (domain/label-merge/pipeline.ts): long uploads are chunked and their speakers linked
 * inside, and a client that chunks itself gets each chunk's answer in that chunk's seconds.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { toEarlierLabelMerge } from '../domain/label-merge/earlier-shape.ts'
import type { LabelMerge, LabelMergeAnswer } from '../domain/label-merge/pipeline.ts'
import { clientOf, type UploadLimits, withUpload } from './audio-request.ts'
import { serverTiming } from './diarization.ts'
import { FILE_FIELDS, readLabelMergeForm } from './label-merge-form.ts'
import {
  EarlierLabelMergeTimed,
  EarlierLabelMergeTranscribed,
  type LabelMergeAnswerBody,
  LabelMergeResult,
  labelMergeForm,
} from './label-merge-schemas.ts'
import { errorResponse } from './schemas.ts'

export interface LabelMergeRouteDeps extends UploadLimits {
  labelMerge: LabelMerge
}

const body = { content: { 'multipart/form-data': { schema: labelMergeForm } }, required: true }
const description =
  'Multipart: `file` (mono, or a stereo call: channel 0 mic, 1 system audio), or `mic_file` + ' +
  '`system_file`. A call is dual-channel: the far side’s bleed into the mic is estimated (delay, ' +
  'coupling) and gated, mic words that only echo the far side are dropped, double talk is kept, ' +
  'and only the far side is diarized; the mic side’s lines are the user’s (`self_name`, source ' +
  '`mic_channel`). Speakers are named from `timeline`, then `known_voiceprints`, else `Unknown_N`. ' +
  'Headers: `X-Queue-Position`, `Server-Timing`.'

const route = createRoute({
  method: 'post',
  path: '/v1/audio/label-merge',
  summary: 'Who said what, named: mono or dual-channel, overlaps kept and marked (seconds)',
  description,
  request: { body },
  responses: {
    200: jsonContent('Merged segments, in seconds', LabelMergeResult),
    413: errorResponse('The upload is over the limit (200 MB by default)'),
    415: errorResponse('Not multipart, or a file is not audio'),
    422: errorResponse(
      'A file is missing, or a field is invalid (`timeline`, `self_vad`, `known_voiceprints`…)',
    ),
    429: errorResponse('This client has too many speech requests running or queued'),
    502: errorResponse('Parakeet failed'),
    503: errorResponse(
      'Parakeet is unreachable or wedged, or the queue cannot take it in time; see Retry-After',
    ),
    504: errorResponse('Parakeet did not answer in time'),
  },
})

const Detail = z.object({ detail: z.unknown() }).openapi('EarlierAudioError')
const detail = (text: string) => jsonContent(text, Detail)

const earlierRoute = createRoute({
  method: 'post',
  path: '/api/audio/label-merge',
  summary: 'Label merge (the earlier audio API): milliseconds with transcribe=true, seconds without',
  description,
  request: { body },
  responses: {
    200: {
      description:
        '`transcribe=true`: segments in ms with text; `transcribe=false`: in seconds with confidence',
      content: {
        'application/json': { schema: z.union([EarlierLabelMergeTranscribed, EarlierLabelMergeTimed]) },
      },
    },
    413: detail('The upload is over 200 MB'),
    415: detail('A file is not audio'),
    422: detail('A file is missing, or a field is invalid'),
    429: detail('This client has too many speech requests running or queued'),
    503: detail('Parakeet is unreachable or wedged (Retry-After: 60), or the queue is too long'),
    504: detail('Parakeet did not answer in time'),
  },
})

/** Receives the form, runs the label-merge, sets the timing headers; the upload goes however it ends. */
function labelMergeUpload<T>(
  c: Context,
  deps: LabelMergeRouteDeps,
  answer: (out: LabelMergeAnswer, transcribe: boolean) => T,
): Promise<T> {
  return withUpload(c, deps, FILE_FIELDS, async (upload) => {
    const form = readLabelMergeForm(upload)
    const out = await deps.labelMerge.run({ ...form, client: clientOf(c), signal: c.req.raw.signal })
    c.header('X-Queue-Position', String(out.queuePosition))
    c.header('Server-Timing', serverTiming({ ...out.timings }))
    return answer(out, form.transcribe)
  })
}

export function labelMergeRoutes(deps: LabelMergeRouteDeps): ServiceApp {
  const app = createRouter()
  // Registered for the documentation only: the upload streams to disk (adapters/upload.ts).
  app.openAPIRegistry.registerPath(route)
  app.openAPIRegistry.registerPath(earlierRoute)
  app.post(route.path, (c) =>
    labelMergeUpload(c, deps, (out) => {
      const answer: LabelMergeAnswerBody = { ...out.result, fingerprints: out.fingerprints }
      return c.json(answer)
    }),
  )
  app.post(earlierRoute.path, (c) =>
    labelMergeUpload(c, deps, (out, transcribe) => {
      const opts = { fingerprints: out.fingerprints }
      return c.json(
        transcribe
          ? toEarlierLabelMerge(out.result, { ...opts, transcribe: true })
          : toEarlierLabelMerge(out.result, { ...opts, transcribe: false }),
      )
    }),
  )
  return app
}
