/**
 * The scrub-proxy's cloud endpoint: `POST <REDACTION_CLOUD_URL>/chat/completions` through undici
 * with an idle budget on the headers and between chunks, the client's abort carried along, and the
 * configured key as `Authorization: Bearer` (never logged, never in a message). Failures become the
 * errors the client sees, in the OpenAI envelope: a refused key is the proxy's problem (502), not
 * the caller's; a rate limit stays a 429; any other 4xx keeps its status; 5xx and transport
 * failures are 502/503/504 — never a 500.
 */
import type { Dispatcher } from 'undici'
import { request } from 'undici'
import { AppError } from '../../../shared/errors.ts'
import { classifyFailure, createPool } from '../../../shared/http-client.ts'
import type { DependencyCheck, DependencyReport } from '../../../shared/readiness.ts'
import type { Secret } from '../../../shared/secret.ts'
import type { CloudAnswer, CloudChat } from '../domain/proxy/ports.ts'

export interface CloudChatOptions {
  /** The API's base URL, `…/v1` as an OpenAI SDK takes it. */
  baseUrl: string
  apiKey?: Secret
  /** Idle budget: for the answer's headers, and between chunks of its body. */
  timeoutMs: number
  dispatcher?: Dispatcher
  /** How long a readiness probe's answer is reused, so a polled /ready never floods the cloud. */
  probeCacheMs?: number
}

const SERVICE = 'The cloud endpoint'
/** A whole (non-streamed) answer is read into memory to be restored; past this it is refused. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024
const ERROR_BODY_BYTES = 64 * 1024
const PROBE_BUDGET_MS = 1500

export function createCloudChat(options: CloudChatOptions): CloudChat {
  const base = options.baseUrl.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs
  const dispatcher =
    options.dispatcher ??
    createPool({ headersTimeoutMs: timeoutMs, bodyTimeoutMs: timeoutMs, connections: 64 })
  const auth: Record<string, string> = options.apiKey
    ? { authorization: `Bearer ${options.apiKey.reveal()}` }
    : {}
  let probed: { at: number; report: DependencyReport } | undefined

  async function complete(
    body: unknown,
    call: { signal: AbortSignal; requestId?: string },
  ): Promise<CloudAnswer> {
    let res: Dispatcher.ResponseData
    try {
      res = await request(`${base}/chat/completions`, {
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(call.requestId ? { 'x-request-id': call.requestId } : {}),
        },
        body: JSON.stringify(body),
        signal: call.signal,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
    } catch (err) {
      throw failure(err, call.signal)
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = (await textWithin(res.body, ERROR_BODY_BYTES).catch(() => undefined)) ?? ''
      throw refusal(res.statusCode, text, res.headers['retry-after'])
    }
    if (String(res.headers['content-type'] ?? '').includes('text/event-stream'))
      return { kind: 'stream', source: nodeSource(res.body) }
    let text: string | undefined
    try {
      text = await textWithin(res.body, MAX_ANSWER_BYTES)
    } catch (err) {
      throw failure(err, call.signal)
    }
    if (text === undefined)
      throw new AppError(502, 'cloud_failed', `${SERVICE} answered more than ${MAX_ANSWER_BYTES} bytes.`)
    try {
      return { kind: 'json', body: JSON.parse(text) }
    } catch {
      throw new AppError(502, 'cloud_failed', `${SERVICE} answered with malformed JSON.`)
    }
  }

  const failure = (err: unknown, signal: AbortSignal) =>
    signal.aborted
      ? new AppError(499, 'client_closed', 'The client went away.')
      : classifyFailure(err, { service: SERVICE, timeoutMs, retryAfterS: 30 })

  async function check(signal: AbortSignal): Promise<DependencyReport> {
    const cacheMs = options.probeCacheMs ?? 30_000
    if (probed && Date.now() - probed.at < cacheMs) return probed.report
    const report = await probe(signal)
    probed = { at: Date.now(), report }
    return report
  }

  async function probe(signal: AbortSignal): Promise<DependencyReport> {
    const info = { base_url: new URL(base).origin }
    try {
      const res = await request(`${base}/models`, {
        headers: { ...auth, accept: 'application/json' },
        signal,
        dispatcher,
        headersTimeout: PROBE_BUDGET_MS,
        bodyTimeout: PROBE_BUDGET_MS,
      })
      await res.body.dump()
      if (res.statusCode >= 200 && res.statusCode < 300) return { state: 'up', info }
      const why = res.statusCode === 401 || res.statusCode === 403 ? ' (the API key was refused)' : ''
      return { state: 'down', detail: `GET /models answered ${res.statusCode}${why}`, info }
    } catch (err) {
      return {
        state: 'down',
        detail: classifyFailure(err, { service: SERVICE, timeoutMs: PROBE_BUDGET_MS }).message,
        info,
      }
    }
  }

  return { complete, check, close: () => dispatcher.close() }
}

/** `/ready`'s `cloud_chat` (never critical): `not_configured` while the scrub-proxy is off. */
export function cloudChatCheck(cloud: CloudChat | undefined): DependencyCheck {
  const off = async (): Promise<DependencyReport> => ({
    state: 'not_configured',
    detail: 'REDACTION_CLOUD_URL is not set; the scrub-proxy is off',
  })
  return { name: 'cloud_chat', check: cloud ? (signal) => cloud.check(signal) : off }
}

/** A non-2xx answer as the error the client gets (see the top of this file). */
export function refusal(status: number, text: string, retryAfter?: string | string[]): AppError {
  const said = messageOf(text) ?? `answered ${status}`
  if (status === 401 || status === 403)
    return new AppError(502, 'cloud_auth_failed', `${SERVICE} refused the configured API key (${status}).`)
  if (status === 429) {
    const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
    return new AppError(429, 'cloud_rate_limited', `${SERVICE} is rate limiting: ${said}`, {
      retryAfterS: Number.isFinite(seconds) && seconds >= 0 ? seconds : 30,
    })
  }
  if (status >= 400 && status < 500)
    return new AppError(status, 'cloud_rejected', `${SERVICE} refused the request: ${said}`)
  return new AppError(502, 'cloud_failed', `${SERVICE} failed: ${said}`)
}

/** The message of an OpenAI (or FastAPI) error body, else a short piece of the text. */
function messageOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as {
      error?: { message?: unknown } | string
      message?: unknown
      detail?: unknown
    }
    const m =
      typeof body.error === 'object' ? body.error?.message : (body.error ?? body.message ?? body.detail)
    if (typeof m === 'string' && m) return m.slice(0, 1000)
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 300) || undefined
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is not read). */
async function textWithin(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | undefined> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of body as AsyncIterable<Buffer>) {
    size += part.length
    if (size > limit) {
      body.destroy()
      return undefined
    }
    parts.push(part)
  }
  return Buffer.concat(parts).toString('utf8')
}

/** An undici body as a ByteSource: `cancel` destroys it, which aborts the request to the cloud. */
function nodeSource(body: Dispatcher.ResponseData['body']) {
  const chunks = body[Symbol.asyncIterator]()
  return {
    read: async () => {
      const next = await chunks.next()
      return next.done ? undefined : new Uint8Array(next.value as Buffer)
    },
    cancel: () => void body.destroy(),
  }
}
