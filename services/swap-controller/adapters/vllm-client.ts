/**
 * Which model ids vLLM's `/v1/models` serves — what readiness, the catalog and the chat proxy ask.
 * Through the shared undici client, so timeouts and failure statuses are the project's (503 when
 * vLLM is not there, 504 when it is too slow, 502 when it answers badly).
 */

import { z } from '@hono/zod-openapi'
import type { Dispatcher } from 'undici'
import { upstreamFailed } from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'

export interface VllmClient {
  /** `http://<host>:<port>`, or null when no vLLM host is configured. */
  readonly baseUrl: string | null
  /** Served model ids (the `--served-model-name`s), in vLLM's order. */
  listModels(signal?: AbortSignal): Promise<string[]>
}

export interface VllmClientOptions {
  baseUrl: string | null
  dispatcher?: Dispatcher
  timeoutMs?: number
}

const modelsBody = z.object({ data: z.array(z.object({ id: z.string() })) })

/** Default deadline of a `GET /v1/models` (a delete's in-use check waits for it). */
export const VLLM_TIMEOUT_MS = 3000

export function createVllmClient({
  baseUrl,
  dispatcher,
  timeoutMs = VLLM_TIMEOUT_MS,
}: VllmClientOptions): VllmClient {
  return {
    baseUrl,
    async listModels(signal) {
      if (!baseUrl) throw upstreamFailed('vLLM', 'no vLLM host is configured')
      const res = await callJson(`${baseUrl}/v1/models`, { service: 'vLLM', timeoutMs, signal, dispatcher })
      if (res.status !== 200) throw upstreamFailed('vLLM', `GET /v1/models answered ${res.status}`)
      const parsed = modelsBody.safeParse(res.body)
      if (!parsed.success) throw upstreamFailed('vLLM', 'GET /v1/models answered without a model list')
      return parsed.data.data.map((m) => m.id)
    },
  }
}
