/**
 * `GET /v1/models` of the speech proxy: audio models only, as in the earlier version (OpenAI audio
 * clients pick their STT model and their voice from it; the LLM is listed by the gateway).
 *
 * Id scheme, kept from the earlier version:
 * - STT: the id Parakeet reports on its own `/v1/models` (e.g. `nvidia/parakeet-tdt-0.6b-v3`), or
 *   that default when it cannot be asked; `owned_by: "parakeet"`.
 * - TTS: one entry per Kokoro voice, the id being the bare voice name (`af_heart`, `bm_george`) —
 *   the value a client passes as `voice` to `/v1/audio/speech`; `owned_by: "kokoro"`.
 */
import type { Voice } from './voices.ts'

export const DEFAULT_STT_MODEL = 'nvidia/parakeet-tdt-0.6b-v3'
export const TTS_MODEL = 'kokoro'

export interface ModelEntry {
  id: string
  object: 'model'
  /** Unix seconds. */
  created: number
  owned_by: string
}

export interface ModelList {
  object: 'list'
  data: ModelEntry[]
}

export interface ModelListInput {
  sttModels: string[]
  voices: Voice[]
  /** Used for every entry the upstream gave no date for. */
  created: number
}

export function buildModelList({ sttModels, voices, created }: ModelListInput): ModelList {
  const data: ModelEntry[] = []
  const seen = new Set<string>()
  const add = (id: string, owner: string) => {
    if (seen.has(id)) return
    seen.add(id)
    data.push({ id, object: 'model', created, owned_by: owner })
  }
  for (const id of sttModels) add(id, 'parakeet')
  for (const voice of voices) add(voice.id, 'kokoro')
  return { object: 'list', data }
}

/** Model ids from an OpenAI-style list (`{data:[{id}]}`); empty when the body is anything else. */
export function parseModelIds(body: unknown): string[] {
  const data = body && typeof body === 'object' ? (body as { data?: unknown }).data : undefined
  if (!Array.isArray(data)) return []
  const ids = data
    .map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string' && id.trim() !== '')
    .map((id) => id.trim())
  return [...new Set(ids)]
}
