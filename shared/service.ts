/**
 * The one factory every service is built with: request ids, per-request loggers, metrics, body
 * limits, the error mapper, and the standard endpoints `/health`, `/ready`, `/metrics`,
 * `/openapi.json`. A service adds its own routes to what this returns.
 */
import { type Hook, OpenAPIHono } from '@hono/zod-openapi'
import type { Context, Env, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { mountNotBuilt } from './capabilities.ts'
import {
  AppError,
  type ErrorStyle,
  errorStyleFor,
  type FieldIssue,
  payloadTooLarge,
  renderError,
  validationFailed,
} from './errors.ts'
import { limitBody } from './http-server/body-limit.ts'
import { internalProofGuard } from './internal-auth/guard.ts'
import type { Logger } from './logger.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import type { Readiness } from './readiness.ts'
import { PRODUCT_VERSION } from './version.ts'

export interface AppVariables {
  requestId: string
  log: Logger
  /** Aborted when the process begins to shut down; long-lived streams watch it and end. */
  shutdown: AbortSignal
  /** The API key's name when the request carried a valid one (gateway); who acts, for audits. */
  actor?: string
  /** The dashboard's owner is logged in (gateway, shared/auth/session.ts): the session acts as `owner`. */
  owner?: boolean
}
export interface AppEnv extends Env {
  Variables: AppVariables
}
export type ServiceApp = OpenAPIHono<AppEnv>

export interface ServiceOptions {
  name: string
  version?: string
  description?: string
  logger: Logger
  readiness: Readiness
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Default limit for request bodies; routes that take uploads raise it themselves. */
  bodyLimitBytes?: number
  /**
   * Paths called so often that a log line each would drown the useful ones (a reporter's batches
   * several times a second); like `/health`, they are counted in the metrics but not logged.
   */
  quietPaths?: readonly string[]
  /** Overrides the error body style for paths this service owns (see errors.ts). */
  errorStyle?: (path: string) => ErrorStyle
  /**
   * Its multipart routes count upload bytes while they stream (speech-proxy's upload adapter), so a
   * multipart body without Content-Length is not buffered here to be counted — that would hold a
   * 200 MB upload in memory. A declared Content-Length over the limit is still refused here.
   */
  countsMultipartItself?: boolean
  /**
   * Paths whose routes read a `text/*` body as it streams and count its bytes themselves (a streamed
   * rehydration): such a body without Content-Length is not buffered here to be counted either.
   */
  streamsTextBodiesAt?: readonly string[]
}

const REQUEST_ID_PATTERN = /^[\w\-.:=]{1,128}$/
/** The `{pattern}` of a constrained parameter (`:id{swp_[0-9a-f]{16}}`): metrics label the route `:id`. */
const PARAM_PATTERN = /\{.*?\}(?=\/|$)/g

/** Where a field lives, in FastAPI's words (the earlier routes' `loc`; the others' `location`). */
const LOCATIONS: Record<string, string> = { json: 'body', form: 'body', param: 'path' }

const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
    location: LOCATIONS[result.target] ?? result.target,
  }))
  throw validationFailed(issues)
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i

/**
 * An empty body sent with the JSON header is no body, on every route: many clients send the header
 * on every request, and a route whose body is optional (`DELETE /api/swap/lock`, `POST
 * /api/swap/stop`) must not fail on it. A body without `Content-Type` is read as JSON, as FastAPI
 * did for the earlier routes (`requests.post(url, data=json.dumps(…))`) — on every route but `/v1`,
 * whose bodies go to vLLM as they came.
 * Such requests are rewritten to what the route validators expect.
 */
function lenientJsonBodies(styleFor: (path: string) => ErrorStyle): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = c.req.raw
    if (!BODY_METHODS.has(c.req.method)) return next()
    const type = c.req.header('content-type')
    if (type !== undefined) {
      if (JSON_TYPE.test(type) && (await isEmptyBody(raw))) c.req.raw = rebuilt(raw, null)
      return next()
    }
    // /v1 bodies go to vLLM as they came; everywhere else an untyped body is read as JSON.
    if (raw.body === null || styleFor(c.req.path) === 'openai') return next()
    const text = await c.req.text()
    // The text stays in the request's body cache, where the JSON validator reads it.
    c.req.raw = rebuilt(raw, text.trim() === '' ? null : text)
    return next()
  }
}

/**
 * Whether a request carries no bytes, leaving its body unread for routes that stream it: from
 * Content-Length when there is one, else from the first chunk of a copy.
 */
async function isEmptyBody(raw: Request): Promise<boolean> {
  const length = raw.headers.get('content-length')
  // The header first: asking for `raw.body` makes @hono/node-server build a whole web Request.
  if (length !== null) return length.trim() === '0'
  if (raw.body === null) return true
  const reader = raw.clone().body!.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return true
      if (value.byteLength > 0) return false
    }
  } finally {
    void reader.cancel().catch(() => {})
  }
}

/** The same request with `body` (typed JSON), or with no body and no body headers. */
function rebuilt(raw: Request, body: string | null): Request {
  const headers = new Headers(raw.headers)
  headers.delete('content-length')
  if (body === null) headers.delete('content-type')
  else headers.set('content-type', 'application/json')
  return new Request(raw.url, { method: raw.method, headers, body, signal: raw.signal })
}

/**
 * A body the validators cannot read, as FastAPI said it on the earlier routes: a 422 list (Hono
 * answers 400 "Malformed JSON" and 415 for a body of another type). The same on our new routes, so
 * a bad body is one status everywhere; `/v1` keeps the OpenAI-style 400.
 */
function earlierBodyIssue(err: HTTPException): FieldIssue | null {
  if (err.status === 400 && /malformed json/i.test(err.message))
    return { field: '', location: 'body', message: 'JSON decode error', type: 'json_invalid' }
  if (err.status === 415)
    return {
      field: '',
      location: 'body',
      message: 'Input should be a valid dictionary or object to extract fields from',
      type: 'model_attributes_type',
    }
  return null
}

/** A router for one route group; validation failures become 422s in the service's error style. */
export function createRouter(): ServiceApp {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

export function createService(options: ServiceOptions): ServiceApp {
  const { name, logger, readiness } = options
  const metrics = options.metrics ?? createMetrics(name)
  const shutdown = options.shutdown ?? new AbortController().signal
  const styleFor = options.errorStyle ?? errorStyleFor
  const quiet = new Set([...QUIET_PATHS, ...(options.quietPaths ?? [])])
  const app = createRouter()

  app.use(
    requestId({
      headerName: 'X-Request-Id',
      generator: () => crypto.randomUUID(),
      limitLength: 128,
    }),
  )
  app.use(async (c, next) => {
    if (!REQUEST_ID_PATTERN.test(c.var.requestId)) c.set('requestId', crypto.randomUUID())
    const log = logger.child({ reqId: c.var.requestId })
    c.set('log', log)
    c.set('shutdown', shutdown)
    const started = performance.now()
    await next()
    const seconds = (performance.now() - started) / 1000
    const route = c.req.routePath === '/*' ? 'unmatched' : c.req.routePath.replace(PARAM_PATTERN, '')
    const labels = { route, method: c.req.method, status: String(c.res.status) }
    metrics.requests.inc(labels)
    metrics.duration.observe(labels, seconds)
    if (!quiet.has(c.req.path))
      log.info(
        { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      )
  })
  // Before any route: only the gateway may be served (on once startService arms it; see internal-auth/).
  app.use(internalProofGuard(app))
  const limitBodies = limitBody({
    maxSize: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    onError: () => {
      throw payloadTooLarge(options.bodyLimitBytes ?? 10 * 1024 * 1024)
    },
  })
  app.use((c, next) => {
    const req = c.req.raw
    const streamed = !req.headers.has('content-length') || req.headers.has('transfer-encoding')
    const multipart = /^multipart\/form-data/i.test(req.headers.get('content-type') ?? '')
    if (options.countsMultipartItself && multipart && streamed) return next()
    const text = /^text\//i.test(req.headers.get('content-type') ?? '')
    if (text && streamed && options.streamsTextBodiesAt?.includes(c.req.path)) return next()
    return limitBodies(c, next)
  })

  app.use(lenientJsonBodies(styleFor))

  app.notFound((c) =>
    sendError(c, new AppError(404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`), styleFor),
  )
  app.onError((err, c) => sendError(c, toAppError(err, c, styleFor), styleFor))

  app.get('/health', (c) =>
    c.json({ status: 'ok', service: name, version: options.version ?? PRODUCT_VERSION }),
  )
  app.get('/ready', async (c) => {
    const report = await readiness.report()
    return c.json(report, report.status === 'not_ready' ? 503 : 200)
  })
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.registry.contentType)
    return c.body(await metrics.registry.metrics())
  })
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: name, version: options.version ?? PRODUCT_VERSION, description: options.description },
  })
  // Routes the gateway already sends here but nobody has written yet: 501, never a puzzling 404.
  mountNotBuilt(app, readiness.capabilities)
  return app
}

/** Paths polled constantly; logging each would drown the useful lines. */
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics'])

function toAppError(err: unknown, c: Context<AppEnv>, styleFor: (path: string) => ErrorStyle): AppError {
  if (err instanceof AppError) return err
  const issue =
    err instanceof HTTPException && styleFor(c.req.path) !== 'openai' ? earlierBodyIssue(err) : null
  if (issue) return validationFailed([issue])
  if (err instanceof HTTPException) {
    const code = err.status === 400 ? 'bad_request' : err.status === 413 ? 'payload_too_large' : 'http_error'
    return new AppError(err.status, code, err.message || 'Bad request.')
  }
  c.var.log?.error({ err }, 'unhandled error')
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side; the error was logged with this request id.',
  )
}

export function sendError(
  c: Context<AppEnv>,
  err: AppError,
  styleFor: (path: string) => ErrorStyle = errorStyleFor,
) {
  const rendered = renderError(err, styleFor(c.req.path), c.var.requestId, c.req.path)
  if (err.status >= 500)
    c.var.log?.warn({ status: err.status, code: err.code, detail: err.message }, 'request failed')
  return new Response(JSON.stringify(rendered.body), { status: rendered.status, headers: rendered.headers })
}
