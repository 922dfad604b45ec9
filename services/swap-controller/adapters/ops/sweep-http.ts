/**
 * The sweep's requests over HTTP, each the backend's real API with the fixed input
 * (domain/ops/sweep/inputs.ts), read to the end so a request counts only when the GPU's work is
 * done, and each with its own timeout:
 *
 * - asr: `POST /v1/audio/transcriptions`, multipart (`file`, `model`, `response_format=json`), as the
 *   speech-proxy calls Parakeet, with a 2 s speech clip;
 * - tts: `POST /v1/audio/speech` `{model: 'kokoro', input, voice, response_format: 'wav', stream: false}`;
 * - embeddings: the FastAPI bge-m3 server's `POST /embed {texts, return_dense, return_sparse}` (what
 *   vector-search uses against spark-embed), or OpenAI's `POST /v1/embeddings` when the server has
 *   no `/embed` — asked once, on the first request;
 * - health: `GET /health`.
 */

import { type Dispatcher, FormData, request } from 'undici'
import type { SweepTarget } from '../../../../shared/contracts/swap-controller.ts'
import { EMBEDDING_TEXTS, TTS_SENTENCE, TTS_VOICE } from '../../domain/ops/sweep/inputs.ts'
import type { SweepBackend, SweepCallResult } from '../../domain/ops/sweep/ports.ts'
import { ASR_CLIP_NAME, asrClip } from './sweep-asr-clip.ts'

export const STT_MODEL = 'nvidia/parakeet-tdt-0.6b-v3'
export const TTS_MODEL = 'kokoro'
export const EMBED_MODEL = 'BAAI/bge-m3'

export interface SweepHttpOptions {
  target: SweepTarget
  /** The backend's base URL (no trailing slash needed). */
  url: string
  /** One work request's budget. */
  timeoutMs?: number
  /** One health check's budget; a check over it counts at this length. */
  healthTimeoutMs?: number
  dispatcher?: Dispatcher
}

interface Call {
  path: string
  method: 'GET' | 'POST'
  body?: string | FormData
  headers?: Record<string, string>
}

type Ask = (call: Call, signal: AbortSignal, timeoutMs: number) => Promise<SweepCallResult>

const json = (path: string, body: unknown): Call => ({
  path,
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
})

function transcription(): Call {
  const form = new FormData()
  form.set('file', new Blob([asrClip()], { type: 'audio/wav' }), ASR_CLIP_NAME)
  form.set('model', STT_MODEL)
  form.set('response_format', 'json')
  return { path: '/v1/audio/transcriptions', method: 'POST', body: form }
}

const speech = () =>
  json('/v1/audio/speech', {
    model: TTS_MODEL,
    input: TTS_SENTENCE,
    voice: TTS_VOICE,
    response_format: 'wav',
    stream: false,
  })

const fastapiEmbed = () => json('/embed', { texts: EMBEDDING_TEXTS, return_dense: true, return_sparse: true })
const openaiEmbed = () => json('/v1/embeddings', { input: EMBEDDING_TEXTS, model: EMBED_MODEL })

/** `/embed` first; a server that does not know it (404, 405, 422) is asked OpenAI's way from then on. */
function embeddings(ask: Ask): (signal: AbortSignal, timeoutMs: number) => Promise<SweepCallResult> {
  let api: 'fastapi' | 'openai' | null = null
  return async (signal, timeoutMs) => {
    if (api === 'openai') return ask(openaiEmbed(), signal, timeoutMs)
    const first = await ask(fastapiEmbed(), signal, timeoutMs)
    if (api === null && [404, 405, 422].includes(first.status ?? 0)) {
      api = 'openai'
      return ask(openaiEmbed(), signal, timeoutMs)
    }
    if (first.ok) api = 'fastapi'
    return first
  }
}

export function createSweepHttpBackend(options: SweepHttpOptions): SweepBackend {
  const base = options.url.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 120_000
  const healthTimeoutMs = options.healthTimeoutMs ?? 10_000
  const ask: Ask = async (call, signal, budgetMs) => {
    const budget = AbortSignal.any([signal, AbortSignal.timeout(budgetMs)])
    try {
      const res = await request(`${base}${call.path}`, {
        method: call.method,
        headers: call.headers,
        body: call.body,
        signal: budget,
        dispatcher: options.dispatcher,
        headersTimeout: budgetMs,
        bodyTimeout: budgetMs,
      })
      // Read whole: synthesis streams its audio, and the request holds the GPU until the last byte.
      await res.body.dump({ limit: Number.POSITIVE_INFINITY })
      const ok = res.statusCode >= 200 && res.statusCode < 300
      return ok
        ? { ok, status: res.statusCode }
        : { ok, status: res.statusCode, error: `HTTP ${res.statusCode}` }
    } catch (err) {
      if (signal.aborted) throw err
      const timedOut = budget.aborted || /timeout/i.test((err as Error).name ?? '')
      return {
        ok: false,
        status: null,
        error: timedOut ? `no answer within ${budgetMs} ms` : transportError(err),
      }
    }
  }
  const work =
    options.target === 'asr'
      ? (signal: AbortSignal, ms: number) => ask(transcription(), signal, ms)
      : options.target === 'tts'
        ? (signal: AbortSignal, ms: number) => ask(speech(), signal, ms)
        : embeddings(ask)
  return {
    send: (signal) => work(signal, timeoutMs),
    health: async (signal) => (await ask({ path: '/health', method: 'GET' }, signal, healthTimeoutMs)).ok,
  }
}

/** A connection failure in a few words: its code (`ECONNREFUSED`), never a body. */
function transportError(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string }; message?: string }
  return e.code ?? e.cause?.code ?? e.message?.slice(0, 120) ?? 'request failed'
}
