/**
 * Kokoro TTS on Spark 2: its health, its voices and synthesis. A synthesis call runs inside an
 * admission slot (whose tracker counts it as load on Kokoro), so it is not tracked again here.
 */
import { Buffer } from 'node:buffer'
import { Readable } from 'node:stream'
import { type Dispatcher, request } from 'undici'
import { AppError, upstreamFailed } from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'
import type { DependencyCheck } from '../../../shared/readiness.ts'
import type { UpstreamTarget } from '../../../shared/upstream-health.ts'
import { TTS_MODEL } from '../domain/models.ts'
import { upstreamCallError, upstreamStatusError } from '../domain/upstream-errors.ts'
import { normaliseVoices, type Voice } from '../domain/voices.ts'
import { createCached } from './cached.ts'
import { speechUpstream, type UpstreamStatus } from './health.ts'
import type { InFlight } from './in-flight.ts'

export const KOKORO_LABEL = 'Kokoro TTS'

/** Seconds a client should wait before asking again when Kokoro cannot be reached. */
const RETRY_AFTER_S = 10
/** Disabled or unconfigured does not fix itself quickly; clients should back off longer. */
const RETRY_AFTER_OFF_S = 60

export interface KokoroOptions {
  baseUrl: string | null
  disabled: boolean
  healthTimeoutMs: number
  /** Deadline of the voice-list call (a data call, so longer than a health probe). */
  callTimeoutMs?: number
  dispatcher?: Dispatcher
  voicesTtlMs?: number
}

export interface Kokoro {
  target: UpstreamTarget
  inFlight: InFlight
  check: DependencyCheck
  /** Up, busy, degraded or down, and why (`GET /api/speech/status`). */
  status(): UpstreamStatus
  /** Kokoro's voices, normalised; throws an AppError (503/504/502) when they cannot be had. */
  voices(): Promise<Voice[]>
  /**
   * Starts a synthesis and answers once Kokoro's headers are in: its audio then streams from
   * `body` as Kokoro makes it. A refusal or failure throws the mapped AppError instead.
   */
  speech(body: Record<string, unknown>, call: SpeechCall): Promise<SpeechAnswer>
}

export interface SpeechCall {
  /** Aborting it (the client went away) aborts the upstream request. */
  signal: AbortSignal
  /** Longest wait for Kokoro's headers, and between two pieces of its audio. */
  timeoutMs: number
  requestId?: string
}

export interface SpeechAnswer {
  status: number
  headers: Record<string, string>
  body: ReadableStream<Uint8Array>
}

export function createKokoro(options: KokoroOptions): Kokoro {
  const cached = createCached(() => fetchVoices(options), {
    ttlMs: options.voicesTtlMs ?? 30_000,
    staleMs: 10 * 60_000,
    errorTtlMs: 2_000,
  })
  const { target, inFlight, check, status } = speechUpstream({
    ...options,
    name: 'kokoro',
    notConfiguredDetail: 'set KOKORO_URL, KOKORO_HOST or SPARK2_HOST',
    defaultModel: TTS_MODEL,
  })
  return {
    target,
    inFlight,
    check,
    status,
    async voices() {
      if (target.disabled) throw unavailable('is disabled by DISABLED_SERVICES')
      if (!target.baseUrl) throw unavailable('is not configured (set KOKORO_URL or SPARK2_HOST)')
      return cached.get()
    },
    async speech(body, call) {
      if (target.disabled) throw unavailable('is disabled by DISABLED_SERVICES')
      if (!target.baseUrl) throw unavailable('is not configured (set KOKORO_URL or SPARK2_HOST)')
      return synthesise(`${target.baseUrl}/v1/audio/speech`, body, call, options.dispatcher)
    },
  }
}

const unavailable = (why: string) =>
  new AppError(503, 'upstream_unavailable', `${KOKORO_LABEL} ${why}.`, { retryAfterS: RETRY_AFTER_OFF_S })

async function fetchVoices(options: KokoroOptions): Promise<Voice[]> {
  const res = await callJson(`${options.baseUrl}/v1/audio/voices`, {
    service: KOKORO_LABEL,
    timeoutMs: options.callTimeoutMs ?? 5000,
    dispatcher: options.dispatcher,
    retryAfterS: RETRY_AFTER_S,
  })
  if (res.status === 503 || res.status === 429) {
    throw new AppError(503, 'upstream_unavailable', `${KOKORO_LABEL} is busy; retry in ${RETRY_AFTER_S} s.`, {
      retryAfterS: RETRY_AFTER_S,
    })
  }
  if (res.status < 200 || res.status >= 300) {
    throw upstreamFailed(KOKORO_LABEL, `voice list answered HTTP ${res.status}`)
  }
  const voices = normaliseVoices(res.body)
  if (!voices) throw upstreamFailed(KOKORO_LABEL, 'voice list is in a shape we do not know')
  return voices
}

/** Bytes of an error answer worth reading: enough for any message, never a stream of audio. */
const ERROR_BODY_LIMIT = 64 * 1024
/** Headers of Kokoro's answer the client needs; the rest are hop-by-hop or Kokoro's own. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'content-length', 'cache-control']

async function synthesise(
  url: string,
  body: Record<string, unknown>,
  call: SpeechCall,
  dispatcher?: Dispatcher,
): Promise<SpeechAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: '*/*' }
  if (call.requestId) headers['x-request-id'] = call.requestId
  let res: Dispatcher.ResponseData
  try {
    res = await request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: call.signal,
      dispatcher,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    })
  } catch (err) {
    throw upstreamCallError(KOKORO_LABEL, err, call.timeoutMs)
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const text = await errorText(res)
    throw upstreamStatusError(
      KOKORO_LABEL,
      res.statusCode,
      parsed(text),
      headerOf(res.headers['retry-after']),
    )
  }
  const passed: Record<string, string> = {}
  for (const name of PASSED_HEADERS) {
    const value = headerOf(res.headers[name])
    if (value) passed[name] = value
  }
  // The web stream reads on demand, so a slow client slows Kokoro's socket rather than filling memory;
  // cancelling it destroys the request.
  return {
    status: res.statusCode,
    headers: passed,
    body: Readable.toWeb(res.body) as ReadableStream<Uint8Array>,
  }
}

async function errorText(res: Dispatcher.ResponseData): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      size += chunk.byteLength
      if (size >= ERROR_BODY_LIMIT) break
    }
  } catch {
    // A failure body cut short still says what it said so far.
  } finally {
    res.body.destroy()
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_LIMIT)
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const headerOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? null
