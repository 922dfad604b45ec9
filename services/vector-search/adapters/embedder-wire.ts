/**
 * One JSON call to the embeddings (or rerank) server, with its own timeout, and every way it can fail
 * turned into an EmbedderError: nobody listening, a 5xx, 429 or 503 → `unavailable` (503 +
 * Retry-After for our client); no answer in time → `timeout` (504); the server refusing what we sent
 * → `rejected`; an answer we cannot read → `malformed` (502). A batch refused for its size is its own
 * error, so the caller can split it and go on.
 */
import type { Dispatcher } from 'undici'
import { AppError } from '../../../shared/errors.ts'
import { callJson } from '../../../shared/http-client.ts'
import { EmbedderError } from '../domain/embed/ports.ts'

export const RETRY_AFTER_S = 5
const MESSAGE_LIMIT = 300

export interface Wire {
  /** Base URL without a trailing slash; null when no server is configured. */
  baseUrl: string | null
  timeoutMs: number
  dispatcher?: Dispatcher
}

/** The server refused a batch for its size: TEI says 422 "batch size N > maximum allowed batch size M", others 413. */
export class BatchTooLarge extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BatchTooLarge'
  }
}

const BATCH_REFUSAL = /batch size|batch_too_large|too many inputs/i

export async function postJson(wire: Wire, path: string, body: unknown, signal?: AbortSignal) {
  return call(wire, path, body, signal)
}

export async function getJson(wire: Wire, path: string, signal?: AbortSignal) {
  return call(wire, path, undefined, signal)
}

async function call(wire: Wire, path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
  if (!wire.baseUrl)
    throw new EmbedderError('unavailable', 'No embeddings server is configured (EMBED_URL).', RETRY_AFTER_S)
  let res: Awaited<ReturnType<typeof callJson>>
  try {
    res = await callJson(`${wire.baseUrl}${path}`, {
      service: 'The embeddings server',
      method: body === undefined ? 'GET' : 'POST',
      body,
      timeoutMs: wire.timeoutMs,
      signal,
      dispatcher: wire.dispatcher,
      retryAfterS: RETRY_AFTER_S,
    })
  } catch (err) {
    throw transportError(err, wire.timeoutMs, signal)
  }
  if (res.status >= 200 && res.status < 300) return res.body
  throw statusError(path, res.status, res.body, res.headers['retry-after'])
}

function transportError(err: unknown, timeoutMs: number, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason ?? err
  if (!(err instanceof AppError)) return err
  if (err.status === 504)
    return new EmbedderError('timeout', `The embeddings server did not answer within ${timeoutMs} ms.`)
  if (err.status === 502 && /malformed/i.test(err.message))
    return new EmbedderError('malformed', 'The embeddings server answered with malformed JSON.')
  // Refused, reset, unreachable or a connection cut mid-answer: the server is not there right now.
  return new EmbedderError('unavailable', 'The embeddings server is not reachable.', RETRY_AFTER_S)
}

function statusError(path: string, status: number, body: unknown, retryAfter: unknown): Error {
  const message = upstreamMessage(body)
  if ((status === 413 || status === 422 || status === 400) && BATCH_REFUSAL.test(message))
    return new BatchTooLarge(message)
  if (status === 429 || status >= 500 || status === 424) {
    const retry = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
    return new EmbedderError(
      'unavailable',
      `The embeddings server is failing or busy (HTTP ${status}).`,
      Number.isFinite(retry) && retry >= 0 ? retry : RETRY_AFTER_S,
    )
  }
  if (status === 404 || status === 405)
    return new EmbedderError('malformed', `The embeddings server has no ${path} route (HTTP ${status}).`)
  if (status === 400 || status === 413 || status === 422)
    return new EmbedderError(
      'rejected',
      `The embeddings server refused the input: ${message || `HTTP ${status}`}`,
    )
  return new EmbedderError('malformed', `The embeddings server answered HTTP ${status}.`)
}

/** The message in OpenAI (`error.message`), FastAPI (`detail`) and TEI (`error`) bodies. */
function upstreamMessage(body: unknown): string {
  const b = body as { error?: unknown; detail?: unknown; message?: unknown } | string | null
  let text: unknown = b
  if (typeof b === 'object' && b !== null) {
    const err = b.error as { message?: unknown } | string | undefined
    text = (typeof err === 'object' ? err?.message : err) ?? b.detail ?? b.message ?? ''
    if (typeof text !== 'string') text = JSON.stringify(text)
  }
  return String(text ?? '').slice(0, MESSAGE_LIMIT)
}
