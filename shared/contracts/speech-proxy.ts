/**
 * The speech-proxy's data answers on the wire: `GET /v1/audio/voices` (Kokoro's voices in one
 * shape) and `GET /v1/models` (the audio models, one entry per voice; the gateway merges it into its
 * own `/v1/models`). Zod schemas (the routes publish their OpenAPI from them) and the types inferred
 * from them. Transcription and speech answer OpenAI's own shapes, passed through.
 */
import { z } from '@hono/zod-openapi'

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
