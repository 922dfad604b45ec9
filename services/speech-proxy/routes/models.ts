import { createRoute } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { buildModelList } from '../domain/models.ts'
import type { Voice } from '../domain/voices.ts'
import { ModelList } from './schemas.ts'

export interface ModelsRouteDeps {
  stt: { models(): Promise<string[]> }
  tts: { voices(): Promise<Voice[]> }
  /** Unix seconds stamped on every entry (the process start: the upstreams give no dates). */
  created: number
  /** How long the list waits for Kokoro's voices before answering without them. */
  voiceWaitMs?: number
}

const route = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'Audio models: the STT model(s) and one entry per TTS voice',
  description:
    'OpenAI model list. STT ids come from Parakeet; each Kokoro voice is listed under its voice name. ' +
    'When Kokoro is down the list still answers, with the STT model only.',
  responses: { 200: jsonContent('Model list', ModelList) },
})

export function modelsRoutes(deps: ModelsRouteDeps): ServiceApp {
  const app = createRouter()
  app.openapi(route, async (c) => {
    const [sttModels, voices] = await Promise.all([
      deps.stt.models(),
      voicesOrNone(deps.tts, deps.voiceWaitMs ?? 2000, (err) =>
        c.var.log.debug({ err }, 'voices left out of /v1/models'),
      ),
    ])
    return c.json(buildModelList({ sttModels, voices, created: deps.created }), 200)
  })
  return app
}

/** A model list must not fail or hang because TTS is unwell: voices are simply left out. */
async function voicesOrNone(tts: ModelsRouteDeps['tts'], waitMs: number, onError: (err: unknown) => void) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<Voice[]>((resolve) => {
    timer = setTimeout(() => resolve([]), waitMs)
  })
  const voices = tts.voices().catch((err: unknown) => {
    onError(err)
    return [] as Voice[]
  })
  try {
    return await Promise.race([voices, deadline])
  } finally {
    clearTimeout(timer)
  }
}
