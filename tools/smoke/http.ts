/**
 * The smoke test's HTTP client: every request goes to the gateway, with the client key as a Bearer
 * token when one is given and a timeout that covers the whole answer, body included. Whatever goes
 * wrong — refused, timed out, a 4xx/5xx — becomes a `CheckFailed` whose reason says it in plain
 * words (the status, the error body's message, the timeout), so a check only handles success.
 */
import { STATUS_CODES } from 'node:http'
import { Agent, type Dispatcher, type FormData, fetch } from 'undici'
import { CheckFailed } from './check.ts'

export interface Answer {
  status: number
  contentType: string
  bytes: Buffer
  text(): string
  /** The body as JSON; a body that is not JSON fails the check, naming the route. */
  json<T = unknown>(): T
}

export interface SmokeRequest {
  method?: 'GET' | 'POST' | 'DELETE'
  json?: unknown
  form?: FormData
}

export interface SmokeClient {
  base: string
  request(path: string, init?: SmokeRequest): Promise<Answer>
  close(): Promise<void>
}

export interface ClientOptions {
  base: string
  key?: string
  insecure?: boolean
  timeoutMs: number
}

export function createClient(options: ClientOptions): SmokeClient {
  const dispatcher: Dispatcher = new Agent({ connect: { rejectUnauthorized: !options.insecure } })
  return {
    base: options.base,
    request: (path, init = {}) => send(dispatcher, options, path, init),
    close: () => dispatcher.close(),
  }
}

async function send(dispatcher: Dispatcher, options: ClientOptions, path: string, init: SmokeRequest) {
  const method = init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET')
  const route = `${method} ${path.split('?')[0]}`
  const headers: Record<string, string> = {}
  if (options.key) headers.authorization = `Bearer ${options.key}`
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  const signal = AbortSignal.timeout(options.timeoutMs)
  try {
    const res = await fetch(`${options.base}${path}`, {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.form,
      signal,
      dispatcher,
    })
    const bytes = Buffer.from(await res.arrayBuffer())
    const answer = answerOf(route, res.status, res.headers.get('content-type') ?? '', bytes)
    if (res.status >= 400) throw new CheckFailed(httpFailure(route, answer, res.headers.get('retry-after')))
    return answer
  } catch (err) {
    if (err instanceof CheckFailed) throw err
    throw new CheckFailed(networkFailure(route, options, err, signal.aborted))
  }
}

function answerOf(route: string, status: number, contentType: string, bytes: Buffer): Answer {
  return {
    status,
    contentType,
    bytes,
    text: () => bytes.toString('utf8'),
    json<T>() {
      try {
        return JSON.parse(bytes.toString('utf8')) as T
      } catch {
        throw new CheckFailed(`${route} answered ${status} with a body that is not JSON: ${excerpt(bytes)}`)
      }
    },
  }
}

/** "POST /v1/audio/speech answered 503 Service Unavailable: Kokoro is not answering (retry after 5 s)". */
export function httpFailure(
  route: string,
  answer: Pick<Answer, 'status' | 'bytes'>,
  retryAfter?: string | null,
) {
  const words = STATUS_CODES[answer.status] ?? 'error'
  const message = errorMessage(answer.bytes)
  const retry = retryAfter && !/retry/i.test(message) ? ` (retry after ${retryAfter} s)` : ''
  return `${route} answered ${answer.status} ${words}${message ? `: ${message}` : ''}${retry}${KEY_HINTS[answer.status] ?? ''}`
}

/** API keys are per route group (docs/SECURITY.md): say what to do about a refusal. */
const KEY_HINTS: Record<number, string> = {
  401: ' — this route needs an API key: --key or SPARK_CONTROL_KEY',
  403: " — the key lacks this route group's scope",
}

/**
 * The message of an error body in any of the gateway's styles: OpenAI's `{error: {message}}`,
 * `{"detail": …}` (a string or FastAPI's list), problem+json (`title`, `detail`) and the redaction
 * routes' `{"error": "<code>", "reason"?}`; other bodies as a short excerpt.
 */
export function errorMessage(bytes: Buffer): string {
  let body: unknown
  try {
    body = JSON.parse(bytes.toString('utf8'))
  } catch {
    return excerpt(bytes)
  }
  if (!body || typeof body !== 'object') return excerpt(bytes)
  const b = body as Record<string, unknown>
  const error = b.error
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message
  const detail = detailText(b.detail)
  if (typeof error === 'string') {
    const reason = typeof b.reason === 'string' ? ` (${b.reason})` : ''
    return `${error}${reason}${detail ? `: ${detail}` : ''}`
  }
  if (detail) return detail
  if (typeof b.title === 'string') return b.title
  return excerpt(bytes)
}

function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail))
    return detail
      .map((d) =>
        d && typeof d === 'object' && 'msg' in d ? String((d as { msg: unknown }).msg) : String(d),
      )
      .join('; ')
  return ''
}

const excerpt = (bytes: Buffer) => {
  const text = bytes.toString('utf8').replace(/\s+/g, ' ').trim()
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Refused, unknown host, a certificate not trusted, the timeout — in words. */
export function networkFailure(route: string, options: ClientOptions, err: unknown, timedOut: boolean) {
  if (timedOut) return `${route}: no complete answer within ${options.timeoutMs / 1000} s (--timeout-s)`
  const cause = (err as { cause?: { code?: string; message?: string } }).cause
  const code = cause?.code ?? (err as { code?: string }).code
  const host = new URL(options.base).host
  switch (code) {
    case 'ECONNREFUSED':
      return `${route}: nothing is listening at ${host} (connection refused)`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${route}: the host name in ${host} does not resolve`
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `${route}: the connection was closed before the answer was complete`
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return `${route}: the HTTPS certificate of ${host} is not trusted (${code}); --insecure accepts it`
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `${route}: ${host} does not answer HTTPS here (is it http://?)`
  }
  const message = String(cause?.message ?? (err as Error).message ?? err).split('\n')[0]
  return `${route}: ${message}${code ? ` (${code})` : ''}`
}
