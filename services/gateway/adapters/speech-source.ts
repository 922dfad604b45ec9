/**
 * The dashboard's view of the speech-proxy (its speech page): the status read, the voices, and the
 * try-it form's transcription and speech, over HTTP with a deadline on every call. JSON answers are
 * checked against the speech-proxy's contract; audio is passed on as a stream, never buffered.
 */
import type { z } from '@hono/zod-openapi'
import { withBudget } from '../../../shared/abort.ts'
import { DiarizedTranscript, SpeechStatus, VoiceList } from '../../../shared/contracts/speech-proxy.ts'
import { upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { internalProofHeaders } from '../../../shared/internal-auth/prove.ts'
import { type SpeechSource, SpeechSourceError } from '../../../ui/ports.ts'
import { messageOf } from './controller-call.ts'

export interface SpeechSourceOptions {
  baseUrl: string
  /** Status and voices. */
  timeoutMs?: number
  /** A transcription or a synthesis from the try-it form (until the answer starts). */
  workTimeoutMs?: number
}

const SERVICE = 'speech-proxy'
const DASHBOARD_CLIENT = 'dashboard'

function check<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ')
  throw upstreamFailed(SERVICE, `its answer to ${what} does not match the contract (${issues})`)
}

/** A non-2xx answer as the page shows it: the service's own message and its Retry-After. */
async function refusal(res: Response): Promise<SpeechSourceError> {
  const text = await res.text().catch(() => '')
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  const retry = Number(res.headers.get('retry-after'))
  return new SpeechSourceError(
    res.status,
    messageOf(body) ?? `The speech service answered ${res.status}.`,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  )
}

export function createSpeechSource(options: SpeechSourceOptions): SpeechSource {
  const base = options.baseUrl.replace(/\/+$/, '')
  const readMs = options.timeoutMs ?? 5000
  const workMs = options.workTimeoutMs ?? 300_000

  async function send(path: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal) {
    let res: Response
    try {
      // One client id for the dashboard, so its try-its share a quota and take turns with the API's clients.
      const headers = {
        ...(init.headers as Record<string, string>),
        'x-client-id': DASHBOARD_CLIENT,
        ...internalProofHeaders(init.method ?? 'GET', `${base}${path}`),
      }
      res = await fetch(`${base}${path}`, { ...init, headers, signal: withBudget(signal, timeoutMs) })
    } catch (err) {
      throw classifyFailure(err, { service: SERVICE, timeoutMs })
    }
    if (res.status >= 400) throw await refusal(res)
    return res
  }
  const json = async <S extends z.ZodType>(res: Response, schema: S, what: string) =>
    check(schema, await res.json().catch(() => null), what)

  return {
    status: async (signal) =>
      json(await send('/api/speech/status', {}, readMs, signal), SpeechStatus, 'GET /api/speech/status'),
    voices: async (signal) =>
      (await json(await send('/v1/audio/voices', {}, readMs, signal), VoiceList, 'GET /v1/audio/voices'))
        .voices,
    async transcribe(file, signal) {
      const form = new FormData()
      form.set('file', file, file.name || 'audio')
      form.set('response_format', 'diarized_json')
      form.set('diarize', 'true')
      form.set('priority', 'interactive')
      const res = await send('/v1/audio/transcriptions', { method: 'POST', body: form }, workMs, signal)
      return json(res, DiarizedTranscript, 'POST /v1/audio/transcriptions')
    },
    async speak(text, voice, signal) {
      const body = JSON.stringify({ model: 'kokoro', input: text, voice, response_format: 'mp3' })
      const init = { method: 'POST', body, headers: { 'content-type': 'application/json' } }
      const res = await send('/v1/audio/speech', init, workMs, signal)
      if (!res.body) throw upstreamFailed(SERVICE, 'answered a speech request without audio')
      return { body: res.body, contentType: res.headers.get('content-type') ?? 'audio/mpeg' }
    },
  }
}
