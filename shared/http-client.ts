/**
 * Outbound HTTP through undici: explicit timeouts on every call, keep-alive pools, the caller's
 * abort signal and request id carried along, and failures mapped to the right status (503 when
 * the peer is not there, 504 when it is too slow, 502 when it answers badly).
 */
import { Agent, type Dispatcher, request, errors as undiciErrors } from 'undici'
import { withBudget } from './abort.ts'
import { AppError, upstreamFailed, upstreamTimeout, upstreamUnavailable } from './errors.ts'
import { internalProofHeaders } from './internal-auth/prove.ts'

export interface PoolOptions {
  connectTimeoutMs?: number
  headersTimeoutMs?: number
  bodyTimeoutMs?: number
  connections?: number
}

export function createPool({
  connectTimeoutMs = 3000,
  headersTimeoutMs = 30_000,
  bodyTimeoutMs = 30_000,
  connections = 64,
}: PoolOptions = {}): Agent {
  return new Agent({
    connect: { timeout: connectTimeoutMs },
    headersTimeout: headersTimeoutMs,
    bodyTimeout: bodyTimeoutMs,
    connections,
    keepAliveTimeout: 30_000,
  })
}

export interface CallOptions {
  /** Name used in error messages ("speech-proxy", "vLLM on spark-1"). */
  service: string
  method?: Dispatcher.HttpMethod
  body?: unknown
  headers?: Record<string, string>
  timeoutMs?: number
  signal?: AbortSignal
  requestId?: string
  dispatcher?: Dispatcher
  /** Seconds a client should wait when the peer is unreachable. */
  retryAfterS?: number
}

export interface JsonResponse<T> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
}

/** Socket errors that mean the upstream could not be reached at all (nothing half-sent came back). */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
])

/** Classifies a transport failure into the error a client of ours should see. */
export function classifyFailure(
  err: unknown,
  options: Pick<CallOptions, 'service' | 'timeoutMs' | 'retryAfterS'>,
): AppError {
  if (err instanceof AppError) return err
  const e = err as { code?: string; name?: string; cause?: { code?: string }; message?: string }
  const code = e.code ?? e.cause?.code
  if (
    e.name === 'TimeoutError' ||
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return upstreamTimeout(options.service, options.timeoutMs ?? 0)
  if (code && UNREACHABLE_CODES.has(code))
    return upstreamUnavailable(options.service, options.retryAfterS ?? 5, undefined, { code })
  if (e.name === 'AbortError') return new AppError(499, 'client_closed', 'The client went away.')
  return upstreamFailed(options.service, e.message ?? String(err))
}

/**
 * Whether a failed call found nothing listening (connection refused), as opposed to a network that
 * dropped, a name that did not resolve or a peer that reset: only then is the upstream known to be off.
 */
export const wasRefused = (err: unknown): boolean =>
  err instanceof AppError && (err.cause as { code?: string } | undefined)?.code === 'ECONNREFUSED'

/** Calls an upstream and parses its JSON answer; non-2xx statuses are returned, not thrown. */
export async function callJson<T = unknown>(url: string, options: CallOptions): Promise<JsonResponse<T>> {
  const timeoutMs = options.timeoutMs ?? 5000
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  if (options.requestId) headers['x-request-id'] = options.requestId
  let payload: string | undefined
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body)
    headers['content-type'] = 'application/json'
  }
  const method = options.method ?? (payload ? 'POST' : 'GET')
  // To one of our services: the installation's proof (none to anything else).
  Object.assign(headers, internalProofHeaders(method, url))
  try {
    const res = await request(url, {
      method,
      headers,
      body: payload,
      signal: withBudget(options.signal, timeoutMs),
      dispatcher: options.dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
    const text = await res.body.text()
    let body: unknown = text
    if (text.length > 0 && String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(text)
      } catch {
        throw upstreamFailed(options.service, 'answered with malformed JSON')
      }
    }
    return { status: res.statusCode, headers: res.headers, body: body as T }
  } catch (err) {
    throw classifyFailure(err, { ...options, timeoutMs })
  }
}
