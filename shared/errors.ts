/**
 * Typed errors and the one place that turns them into HTTP responses.
 *
 * Three body styles coexist because clients depend on them:
 * - `openai`  — `/v1/*`, `/scrub-proxy/v1/*`: the OpenAI error envelope, so OpenAI SDKs surface the message.
 * - `detail`  — routes of the earlier version: FastAPI's `{"detail": ...}` bodies, kept byte-compatible.
 * - `code`    — `/scrub`, `/rehydrate` (and `/rehydrate/stream`): the earlier redaction gateway's `{"error": "<code>", ...}`.
 * - `problem` — every new route: RFC 9457 problem+json (which also carries `detail`).
 */

export type ErrorStyle = 'openai' | 'detail' | 'code' | 'problem'

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `body.items.0.text`. */
  field: string
  message: string
  /** Where the field lives: body, query, path, header. */
  location?: string
  /** FastAPI's error type on the earlier routes (`value_error` unless said). */
  type?: string
}

export interface AppErrorOptions {
  /** Seconds a client should wait before retrying (sets `Retry-After`). */
  retryAfterS?: number
  issues?: FieldIssue[]
  /** Extra fields merged into the body (earlier contracts carry some, e.g. `spans`). */
  extra?: Record<string, unknown>
  /** Response headers the error needs (`WWW-Authenticate` on a 401). */
  headers?: Record<string, string>
  cause?: unknown
}

export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly retryAfterS: number | undefined
  readonly issues: FieldIssue[] | undefined
  readonly extra: Record<string, unknown> | undefined
  readonly headers: Record<string, string> | undefined

  constructor(status: number, code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.status = status
    this.code = code
    this.retryAfterS = options.retryAfterS
    this.issues = options.issues
    this.extra = options.extra
    this.headers = options.headers
  }
}

export const badRequest = (message: string, options?: AppErrorOptions) =>
  new AppError(400, 'bad_request', message, options)
export const validationFailed = (issues: FieldIssue[]) =>
  new AppError(422, 'validation_failed', describeIssues(issues), { issues })
export const notFound = (message: string) => new AppError(404, 'not_found', message)
export const conflict = (message: string, options?: AppErrorOptions) =>
  new AppError(409, 'conflict', message, options)
export const payloadTooLarge = (limitBytes: number) =>
  new AppError(413, 'payload_too_large', `Request body is larger than the limit of ${limitBytes} bytes.`)
export const upstreamUnavailable = (
  service: string,
  retryAfterS: number,
  why = 'is not reachable',
  cause?: unknown,
) =>
  new AppError(503, 'upstream_unavailable', `${service} ${why}; retry in ${retryAfterS} s.`, {
    retryAfterS,
    cause,
  })
export const upstreamFailed = (service: string, why: string) =>
  new AppError(502, 'upstream_failed', `${service} failed: ${why}`)
export const upstreamTimeout = (service: string, timeoutMs: number) =>
  new AppError(504, 'upstream_timeout', `${service} did not answer within ${timeoutMs} ms.`)
/** A route the gateway already sends somewhere, whose handler is not written yet (shared/capabilities.ts). */
/**
 * A change to the cluster asked for without `confirm: true` (or `dry_run`): nothing was done. A
 * person confirms in the dashboard; a program says so explicitly.
 */
export const confirmationRequired = (what: string) =>
  new AppError(
    428,
    'confirmation_required',
    `${what} changes the cluster: send "confirm": true to go ahead, or "dry_run": true to see the commands`,
  )
export const notImplemented = (message: string, options?: AppErrorOptions) =>
  new AppError(501, 'not_implemented', message, options)

export function describeIssues(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 5).map((i) => `${i.field || '(root)'}: ${i.message}`)
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''
  return `Invalid request — ${shown.join('; ')}${more}`
}

/** Earlier-version routes, whose error bodies must stay `{"detail": ...}`. */
const DETAIL_PREFIXES = [
  '/api/status',
  '/api/endpoints',
  '/api/services',
  '/api/health-event',
  '/api/models',
  '/api/swap',
  '/api/schedule',
  '/api/audio/',
  '/api/nim/',
]

/**
 * New routes that live under an earlier prefix (`/api/swap…`): they answer problem+json like every
 * other new route. One list, so the gateway (when the service is down) and the service agree.
 */
const NEW_UNDER_EARLIER_PREFIXES = new Set([
  '/api/swap/models',
  '/api/swap/state',
  '/api/swap/events',
  '/api/swap/cancel',
  '/api/swap/stop',
  '/api/swap/history',
  '/api/swap/telemetry',
  '/api/swap/telemetry/stream',
  '/api/swap/logs',
  '/api/swap/logs/recent',
])

export function errorStyleFor(path: string): ErrorStyle {
  if (path === '/v1' || path.startsWith('/v1/') || path.startsWith('/scrub-proxy/v1/')) return 'openai'
  if (path === '/scrub' || path === '/rehydrate' || path === '/rehydrate/stream') return 'code'
  if (path === '/api/search') return 'detail'
  if (NEW_UNDER_EARLIER_PREFIXES.has(path)) return 'problem'
  if (DETAIL_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`)))
    return 'detail'
  return 'problem'
}

export interface RenderedError {
  status: number
  headers: Record<string, string>
  body: unknown
}

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  507: 'Insufficient Storage',
}

export function renderError(
  err: AppError,
  style: ErrorStyle,
  requestId: string | undefined,
  path: string,
): RenderedError {
  const headers: Record<string, string> = { ...err.headers }
  if (err.retryAfterS !== undefined) headers['Retry-After'] = String(Math.max(0, Math.ceil(err.retryAfterS)))
  if (requestId) headers['X-Request-Id'] = requestId
  const body = bodyFor(err, style, requestId, path)
  headers['Content-Type'] = style === 'problem' ? 'application/problem+json' : 'application/json'
  return { status: err.status, headers, body }
}

function bodyFor(err: AppError, style: ErrorStyle, requestId: string | undefined, path: string) {
  switch (style) {
    case 'openai':
      return {
        error: {
          message: err.message,
          type: OPENAI_TYPES[err.status] ?? (err.status >= 500 ? 'server_error' : 'invalid_request_error'),
          code: err.code,
          param: err.issues?.[0]?.field ?? null,
          ...(requestId ? { request_id: requestId } : {}),
        },
      }
    case 'detail':
      // FastAPI shape: validation errors are a list of {loc, msg, type}; everything else a string.
      if (err.issues)
        return {
          detail: err.issues.map((i) => ({
            loc: [i.location ?? 'body', ...i.field.split('.').filter(Boolean)],
            msg: i.message,
            type: i.type ?? 'value_error',
          })),
        }
      return { detail: err.message, ...err.extra }
    case 'code':
      return {
        error: err.code,
        detail: err.message,
        ...(err.issues ? { issues: err.issues } : {}),
        ...err.extra,
      }
    case 'problem':
      return {
        type: `urn:spark-control:error:${err.code}`,
        title: TITLES[err.status] ?? 'Error',
        status: err.status,
        detail: err.message,
        instance: path,
        ...(requestId ? { request_id: requestId } : {}),
        ...(err.issues ? { errors: err.issues } : {}),
        ...(err.retryAfterS !== undefined ? { retry_after_s: err.retryAfterS } : {}),
        ...err.extra,
      }
  }
}
