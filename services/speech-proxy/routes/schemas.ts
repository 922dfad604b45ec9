/**
 * The speech-proxy's OpenAPI shapes: its data answers are the contract in
 * shared/contracts/speech-proxy.ts (re-exported here for the routes); the error envelope is how
 * shared/errors.ts renders every `/v1/*` failure.
 */
import { z } from '@hono/zod-openapi'
import type { Same } from '../../../shared/contracts/same.ts'
import type { SpeechModelList, SpeechVoice } from '../../../shared/contracts/speech-proxy.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import type { ModelList as DomainModelList } from '../domain/models.ts'
import type { Voice as DomainVoice } from '../domain/voices.ts'

export { ModelList, VoiceList } from '../../../shared/contracts/speech-proxy.ts'

// The domain builds exactly the contract's shapes: a drift fails tsc here.
true satisfies Same<DomainVoice, SpeechVoice>
true satisfies Same<DomainModelList, SpeechModelList>

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

export const errorResponse = (description: string) => jsonContent(description, OpenAiError)
