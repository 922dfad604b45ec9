/**
 * `GET /v1/models`: what the earlier version listed (speech-proxy's audio models and TTS voices)
 * plus the loaded LLM, each marked `ready` only while the capability that asks for it works (the
 * STT model and the voices stay listed, as the earlier clients expect, but not ready while
 * transcription and TTS are not built). Answers 200 with whatever is known when speech-proxy is
 * down, because OpenAI clients call it at start-up and would refuse to start on an error.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { capabilityState } from '../../../shared/contracts/gateway.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { BackendReader } from '../adapters/backend-reader.ts'
import type { GetStatus } from '../adapters/service-probe.ts'
import { mergeModelLists } from '../domain/discovery.ts'

const modelList = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.looseObject({
        id: z.string(),
        object: z.literal('model'),
        created: z.number(),
        owned_by: z.string(),
        ready: z.boolean().openapi({ description: 'Usable now: the capability that asks for it works.' }),
        capability: z.string().nullable().openapi({ example: 'transcription' }),
        capability_state: capabilityState,
      }),
    ),
  })
  .openapi('ModelList')

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['gateway'],
  summary: 'Audio models and TTS voices (as before), plus the loaded chat model; `ready` says which work now',
  responses: {
    200: jsonContent('OpenAI model list', modelList),
  },
})

export interface ModelsRouteDeps {
  getStatus: GetStatus
  reader: BackendReader
  /** Read per request: `DISABLED_SERVICES` follows the Settings page. */
  speechDisabled: () => boolean
  timeoutMs: number
  now: () => Date
}

export function modelsRoutes(deps: ModelsRouteDeps): ServiceApp {
  const router = createRouter()
  router.openapi(modelsRoute, async (c) => {
    const [speech, status] = await Promise.all([
      deps.speechDisabled()
        ? null
        : deps.reader.read('speech-proxy', '/v1/models', { timeoutMs: deps.timeoutMs }),
      deps.getStatus(),
    ])
    const listed = speech?.ok && speech.status === 200 ? speech.body : null
    return c.json(mergeModelLists(listed, status.loaded_model, deps.now(), status.capabilities), 200)
  })
  return router
}
