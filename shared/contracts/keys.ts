/**
 * `GET/POST /api/keys` and `DELETE /api/keys/{name}` (the gateway): the API keys of the key file.
 * A key itself is in the answer to its creation only, once; a list shows names, scopes, dates and
 * usage, never a key or its digest.
 */
import { z } from '@hono/zod-openapi'
import { SCOPES } from '../auth/keys.ts'
import { KEY_NAME_MAX } from '../auth/store.ts'
import { safeName } from '../names.ts'

export const keyScopes = z
  .array(z.enum(SCOPES))
  .min(1)
  .openapi({ description: `The route groups the key may use: ${SCOPES.join(', ')}.` })

export const keyView = z
  .object({
    name: z.string(),
    scopes: keyScopes,
    created_at: z.string().openapi({ description: 'When it was created (ISO 8601).' }),
    last_used_at: z.string().nullable().openapi({
      description: 'When the gateway last accepted it (ISO 8601); null if never (or keys are off).',
    }),
    request_count: z.number().int().min(0).openapi({
      description:
        'Requests that came with it since it was created, a rate limit’s refusals included (counted while some group needs a key).',
    }),
  })
  .openapi('ApiKey')
export type KeyView = z.infer<typeof keyView>

export const keyList = z.object({ keys: z.array(keyView) }).openapi('ApiKeyList')

export const keyCreateBody = z
  .object({
    name: safeName('a key name', { max: KEY_NAME_MAX }).openapi({
      description: 'Who the key is for; names the caller in the audit log.',
    }),
    scopes: keyScopes,
  })
  .strict()
  .openapi('ApiKeyCreate')

export const keyCreated = z
  .object({
    key: z
      .string()
      .openapi({ description: 'The key (`sc_…`). Shown this once: it is stored only as a digest.' }),
    record: keyView,
  })
  .openapi('ApiKeyCreated')
export type KeyCreated = z.infer<typeof keyCreated>
