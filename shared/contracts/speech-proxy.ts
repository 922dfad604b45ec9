/**
 * The speech-proxy's data answers on the wire: `GET /v1/audio/voices` (Kokoro's voices in one
 * shape) and `GET /v1/models` (the audio models, one entry per voice; the gateway merges it into its
 * own `/v1/models`). Zod schemas (the routes publish their OpenAPI from them) and the types inferred
 * from them. Transcription and speech answer OpenAI's own shapes, passed through.
 */
import { z } from '@hono/zod-openapi'

export * from './speech-proxy/label-merge.ts'

export const Voice = z
  .object({
    id: z.string().openapi({
      example: 'af_heart',
      description: 'The value to pass as `voice` to /v1/audio/speech.',
    }),
    name: z.string(),
    language: z.string().optional().openapi({ example: 'en-US' }),
    gender: z.string().optional().openapi({ example: 'female' }),
  })
  .openapi('Voice')

export const VoiceList = z.object({ voices: z.array(Voice) })

export const ModelList = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        id: z.string().openapi({ example: 'nvidia/parakeet-tdt-0.6b-v3' }),
        object: z.literal('model'),
        created: z.number().int().openapi({ description: 'Unix seconds.' }),
        owned_by: z.string().openapi({ example: 'parakeet' }),
      }),
    ),
  })
  .openapi('SpeechModelList')

export type SpeechVoice = z.infer<typeof Voice>
export type SpeechModelList = z.infer<typeof ModelList>

const count = () => z.number().int().nonnegative()

/** `GET /api/speech/status`: each admission lane and each upstream as the speech-proxy sees them now. */
export const LaneStatus = z
  .object({
    lane: z.enum(['asr', 'diarize', 'tts']),
    limit: z.number().int().positive().openapi({ description: 'Requests the lane runs at once.' }),
    running: count(),
    queued: count(),
    queued_by_priority: z.object({ interactive: count(), standard: count(), batch: count() }),
    ewma_s_per_work: z.number().nonnegative().openapi({
      description: 'Service seconds per audio second (asr, diarize) or per request (tts), a moving average.',
    }),
    projected_wait_s: z.number().nonnegative().openapi({
      description: 'What a request arriving now at the back of the queue would wait.',
    }),
    served: count(),
    rejected: z.object({ quota: count(), deadline: count(), queue_full: count() }),
  })
  .openapi('SpeechLaneStatus')

export const UpstreamStatus = z
  .object({
    name: z.enum(['parakeet', 'kokoro']),
    state: z.enum(['up', 'busy', 'degraded', 'down']).openapi({
      description:
        'busy: its health check is slow while our own requests run on it; degraded: slow with nothing of ' +
        'ours running, not yet for long enough to call it down; down: refused, erroring, switched off, ' +
        'unconfigured, slow several checks in a row, or a request hit a GPU fault.',
    }),
    why: z.string(),
    misses: z
      .number()
      .int()
      .nonnegative()
      .openapi({ description: 'Slow checks in a row with nothing of ours running.' }),
    in_flight: z.number().int().nonnegative().openapi({ description: 'Our requests running on it now.' }),
  })
  .openapi('SpeechUpstreamStatus')

/** One finished speech request, as the status page lists it: no file names, no text, no audio. */
export const RecentJob = z
  .object({
    at: z.string().openapi({ description: 'ISO time the request arrived.' }),
    route: z.string().openapi({ example: 'POST /v1/audio/transcriptions' }),
    status: z.number().int().openapi({ description: 'The HTTP status it was answered with.' }),
    outcome: z.enum(['ok', 'refused', 'rejected', 'failed', 'cancelled']).openapi({
      description:
        'ok: 2xx; refused: 429 or 503 (busy, try again after Retry-After); rejected: another 4xx (the ' +
        'request was wrong); failed: another 5xx; cancelled: the client went away.',
    }),
    lanes: z.array(z.enum(['asr', 'diarize', 'tts'])).openapi({ description: 'The lanes it waited in.' }),
    audio_s: z.number().nonnegative().nullable().openapi({
      description:
        'Seconds of audio it sent to a model (the longest over its lanes); null for TTS or when refused.',
    }),
    queue_ms: z.number().nonnegative().openapi({ description: 'Time spent queued, summed over its chunks.' }),
    service_ms: z
      .number()
      .nonnegative()
      .openapi({ description: 'Time the models worked on it, summed over its chunks.' }),
    total_ms: z.number().nonnegative().openapi({ description: 'Arrival to the answer’s first byte.' }),
  })
  .openapi('SpeechRecentJob')

export const SpeechStatus = z
  .object({
    checked_at: z.string().openapi({ description: 'ISO time of this answer.' }),
    lanes: z.array(LaneStatus),
    upstreams: z.array(UpstreamStatus),
    recent: z.array(RecentJob).openapi({ description: 'The latest audio requests, newest first (bounded).' }),
  })
  .openapi('SpeechStatus')

export type SpeechLaneStatus = z.infer<typeof LaneStatus>
export type SpeechUpstreamStatus = z.infer<typeof UpstreamStatus>
export type SpeechStatusReport = z.infer<typeof SpeechStatus>
export type SpeechRecentJob = z.infer<typeof RecentJob>

/** Audio encodings Kokoro produces; `pcm` is raw 24 kHz signed 16-bit little-endian mono. */
export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const

/**
 * `POST /v1/audio/speech`: OpenAI's body plus Kokoro's own fields, which go to Kokoro untouched.
 * The input's length limit is the service's configuration, checked by the route.
 */
export const SpeechRequest = z
  .object({
    model: z.string().min(1).default('kokoro').openapi({ example: 'kokoro' }),
    input: z.string().min(1, 'input must not be empty'),
    voice: z.union([z.string().min(1), z.object({ id: z.string().min(1) })]).openapi({
      example: 'af_bella(2)+af_sky(1)',
      description: 'A voice id, an OpenAI voice name, or a Kokoro blend (`a(2)+b(1)`, `-` subtracts).',
    }),
    response_format: z.enum(SPEECH_FORMATS).default('mp3'),
    speed: z.number().min(0.25).max(4).default(1),
    stream: z.boolean().default(true).openapi({ description: 'Chunked audio as Kokoro makes it.' }),
    stream_format: z.enum(['audio', 'sse']).optional().openapi({ description: 'Only `audio` is served.' }),
    priority: z.enum(['interactive', 'standard', 'batch']).optional(),
    lang_code: z.string().optional(),
    volume_multiplier: z.number().optional(),
    normalization_options: z.record(z.string(), z.unknown()).optional(),
    return_download_link: z.boolean().optional(),
    download_format: z.string().optional(),
  })
  .openapi('SpeechRequest')

export type SpeechRequestBody = z.infer<typeof SpeechRequest>

/**
 * `POST /v1/audio/transcriptions` with `response_format=diarized_json` (OpenAI's diarized shape):
 * the dashboard's try-it form reads it. Times in seconds.
 */
export const DiarizedTranscript = z
  .object({
    task: z.literal('transcribe').optional(),
    duration: z.number().nonnegative(),
    text: z.string(),
    segments: z.array(
      z.object({
        id: z.string(),
        type: z.string().optional(),
        speaker: z.string(),
        start: z.number(),
        end: z.number(),
        text: z.string(),
      }),
    ),
  })
  .openapi('DiarizedTranscript')

export type DiarizedTranscriptBody = z.infer<typeof DiarizedTranscript>
