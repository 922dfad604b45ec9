import { z } from '@hono/zod-openapi'

/** The OpenAI error envelope every `/v1/*` failure carries (rendered by shared/errors.ts). */
export const OpenAiError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      code: z.string(),
      param: z.string().nullable(),
      request_id: z.string().optional(),
    }),
  })
  .openapi('OpenAiError')

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: OpenAiError } },
})

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
