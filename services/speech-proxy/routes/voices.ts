import { createRoute } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { Voice as VoiceData } from '../domain/voices.ts'
import { errorResponse, VoiceList } from './schemas.ts'

export interface VoicesRouteDeps {
  tts: { voices(): Promise<VoiceData[]> }
}

const route = createRoute({
  method: 'get',
  path: '/v1/audio/voices',
  summary: 'Kokoro voices in one shape, whichever shape the running Kokoro returns',
  responses: {
    200: jsonContent('Voices', VoiceList),
    502: errorResponse('Kokoro answered with something that is not a voice list'),
    503: errorResponse('Kokoro is unreachable, disabled or not configured; see Retry-After'),
    504: errorResponse('Kokoro did not answer in time'),
  },
})

export function voicesRoutes(deps: VoicesRouteDeps): ServiceApp {
  const app = createRouter()
  // Failures are AppErrors thrown by the adapter; the service's error mapper renders the envelope.
  app.openapi(route, async (c) => c.json({ voices: await deps.tts.voices() }, 200))
  return app
}
