import { createRoute, z } from '@hono/zod-openapi'
import { SpeechRequest } from '../../../shared/contracts/speech-proxy.ts'
import { payloadTooLarge } from '../../../shared/errors.ts'
import { limitBody } from '../../../shared/http-server/body-limit.ts'
import { jsonBody } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { SpeechConfig } from '../config.ts'
import type { Admission } from '../domain/admission/admission.ts'
import { arrivalPosition } from '../domain/speech/position.ts'
import { contentTypeFor, planSpeech } from '../domain/speech/request.ts'
import { type Opened, streamThroughSlot } from '../domain/speech/streamed-slot.ts'
import { clientOf } from './audio-request.ts'
import { errorResponse } from './schemas.ts'

export interface SpeechRouteDeps {
  tts: {
    speech(
      body: Record<string, unknown>,
      call: { signal: AbortSignal; timeoutMs: number; requestId?: string },
    ): Promise<Opened & { headers: Record<string, string> }>
  }
  admission: Pick<Admission, 'run' | 'status'>
  config: Pick<
    SpeechConfig,
    'BODY_LIMIT_BYTES' | 'SPEECH_DEADLINE_S' | 'SPEECH_TTS_MAX_INPUT_CHARS' | 'KOKORO_SPEECH_TIMEOUT_MS'
  >
}

const audio = z.string().openapi({ format: 'binary' })

const route = createRoute({
  method: 'post',
  path: '/v1/audio/speech',
  summary: 'Text to speech through Kokoro, streamed as it is synthesised',
  description:
    'OpenAI’s speech request (plus Kokoro’s `lang_code`, `volume_multiplier`, `normalization_options`, ' +
    '`return_download_link`, passed on untouched). Runs in the `tts` admission lane: interactive ' +
    'unless `priority` (body or `X-Priority`) says `standard` or `batch`. The audio streams as Kokoro ' +
    'makes it; `X-Queue-Position` and `Server-Timing` (`queue`, `tts` = until Kokoro answered) say ' +
    'where the time went.',
  request: {
    body: jsonBody(SpeechRequest),
    headers: z.object({
      'x-priority': z.enum(['interactive', 'standard', 'batch']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The audio, chunked while streaming',
      content: Object.fromEntries(
        ['audio/mpeg', 'audio/opus', 'audio/aac', 'audio/flac', 'audio/wav', 'audio/pcm'].map((t) => [
          t,
          { schema: audio },
        ]),
      ),
    },
    400: errorResponse('Malformed JSON, `stream_format: sse`, or Kokoro refused it (an unknown voice…)'),
    413: errorResponse('The body is over the JSON limit'),
    422: errorResponse('A field is out of range (speed, input length, voice syntax)'),
    429: errorResponse('This client has too many speech requests running or queued'),
    502: errorResponse('Kokoro failed'),
    503: errorResponse(
      'Kokoro is unreachable or wedged, or the queue cannot take it in time; see Retry-After',
    ),
    504: errorResponse('Kokoro did not answer in time'),
  },
})

export function speechRoutes(deps: SpeechRouteDeps): ServiceApp {
  const app = createRouter()
  const limit = deps.config.BODY_LIMIT_BYTES
  app.use(
    route.path,
    limitBody({
      maxSize: limit,
      onError: () => {
        throw payloadTooLarge(limit)
      },
    }),
  )
  app.openapi(route, async (c) => {
    const headers = c.req.valid('header')
    const plan = planSpeech(c.req.valid('json'), {
      maxInputChars: deps.config.SPEECH_TTS_MAX_INPUT_CHARS,
      headerPriority: headers['x-priority'],
    })
    const signal = c.req.raw.signal
    const position = arrivalPosition(deps.admission.status(), 'tts', plan.priority)
    const started = await streamThroughSlot(
      deps.admission,
      {
        lane: 'tts',
        client: clientOf(c),
        priority: plan.priority,
        deadlineMs: deps.config.SPEECH_DEADLINE_S * 1000,
        work: 1,
        signal,
      },
      (slotSignal) =>
        deps.tts.speech(plan.upstream, {
          signal: slotSignal,
          timeoutMs: deps.config.KOKORO_SPEECH_TIMEOUT_MS,
          requestId: c.var.requestId,
        }),
      (err) => c.var.log.warn({ err }, 'speech stream ended early'),
    )
    const out = new Headers(started.answer.headers)
    if (!out.has('content-type')) out.set('content-type', contentTypeFor(plan.format))
    if (plan.stream) out.set('X-Accel-Buffering', 'no')
    out.set('X-Queue-Position', String(position))
    out.set('Server-Timing', `queue;dur=${started.queueMs.toFixed(1)}, tts;dur=${started.openMs.toFixed(1)}`)
    return new Response(started.body, { status: 200, headers: out })
  })
  return app
}
