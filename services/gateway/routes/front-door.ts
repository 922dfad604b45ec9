/**
 * The proxy fast path. Requests for a backend never enter Hono: no router, no context, no
 * per-request child logger, no body-limit wrapper that rebuilds the Request. What runs instead is
 * the minimum a reverse proxy owes: one route lookup, the CSRF guard, the size limit, the
 * forwarded headers, one metric, and errors in the path's style. It speaks only web Request and
 * Response, so Node (via @hono/node-server) and Deno run it unchanged. Paths the table does not
 * claim return null and go on to the Hono app.
 */
import { AppError, badRequest, errorStyleFor, payloadTooLarge, renderError } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { Metrics } from '../../../shared/metrics.ts'
import type { UpstreamProxy } from '../adapters/upstream-proxy.ts'
import { isCrossSiteControlRequest } from '../domain/csrf.ts'
import { type Budget, resolveRoute, type Route } from '../domain/route-table.ts'
import { requestBody, scanHeaders } from './forwarding.ts'

export interface FrontDoorOptions {
  proxy: UpstreamProxy
  limits: Record<Budget, number>
  timeouts: Record<Budget, number>
  /** `DISABLED_SERVICES`: backends switched off on purpose answer 503 without a retry hint. */
  disabled: readonly string[]
  metrics: Metrics
  logger: Logger
}

export type FrontDoor = (request: Request, env?: unknown) => Promise<Response> | null

export const crossSiteRefused = () =>
  new AppError(
    403,
    'cross_site_request',
    'Cross-site request refused: control routes only accept requests from this site.',
  )

const METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const disabled = new Set(options.disabled)
  const { requests, duration } = options.metrics
  // Access lines for every proxied request are a debug aid; at info level only failures are logged.
  const debug = options.logger.isLevelEnabled('debug')

  /** Proxying never throws anything else; if it does, it is a bug worth a log line with a stack. */
  function unexpected(err: unknown, requestId: string): AppError {
    options.logger.error({ err, reqId: requestId }, 'proxy bug')
    return new AppError(
      500,
      'internal_error',
      'Something went wrong on our side; the error was logged with this request id.',
    )
  }

  async function proxied(
    request: Request,
    env: unknown,
    route: Route,
    path: string,
    target: string,
  ): Promise<Response> {
    const started = performance.now()
    const method = request.method
    const h = scanHeaders(request, env)
    let status = 500
    try {
      if (disabled.has(route.service)) {
        throw new AppError(
          503,
          'service_disabled',
          `${route.service} is turned off on this installation (DISABLED_SERVICES).`,
        )
      }
      if (isCrossSiteControlRequest(method, path, h)) throw crossSiteRefused()
      const limit = options.limits[route.budget]
      if (h.contentLength !== null && h.contentLength > limit) throw payloadTooLarge(limit)
      const body = method === 'GET' || method === 'HEAD'
        ? null
        : await readableBody(request, h.contentLength, limit)
      if (body !== null && h.contentLengthHeader !== null) {
        h.headers.push('content-length', h.contentLengthHeader)
      }
      const response = await options.proxy.forward({
        service: route.service,
        method,
        path: route.upstreamPath ?? target,
        headers: h.headers,
        body,
        timeoutMs: options.timeouts[route.budget],
        clientSignal: () => request.signal,
        requestId: h.requestId,
      })
      status = response.status
      return response
    } catch (err) {
      const appError = err instanceof AppError ? err : unexpected(err, h.requestId)
      status = appError.status
      if (status >= 500) {
        options.logger.warn(
          { reqId: h.requestId, route: route.pattern, status, detail: appError.message },
          'proxy error',
        )
      }
      return errorResponse(appError, path, h.requestId)
    } finally {
      const seconds = (performance.now() - started) / 1000
      const labels = {
        route: route.pattern,
        method: METHOD_LABELS.has(method) ? method : 'OTHER',
        status: String(status),
      }
      requests.inc(labels)
      duration.observe(labels, seconds)
      if (debug) {
        options.logger.debug({
          reqId: h.requestId,
          method,
          route: route.pattern,
          status,
          ms: Math.round(seconds * 1000),
        }, 'proxied')
      }
    }
  }

  return (request, env) => {
    const url = request.url
    const pathStart = url.indexOf('/', url.indexOf('//') + 2)
    if (pathStart === -1) return null
    const queryStart = url.indexOf('?', pathStart)
    const path = queryStart === -1 ? url.slice(pathStart) : url.slice(pathStart, queryStart)
    const route = resolveRoute(path)
    if (route === null) return null
    return proxied(request, env, route, path, url.slice(pathStart))
  }
}

/** A client that stops sending mid-body gets a 400 (if it is still there to read it), not a 502. */
async function readableBody(request: Request, declared: number | null, limit: number) {
  try {
    return await requestBody(request, declared, limit)
  } catch {
    throw badRequest('The request body could not be read.')
  }
}

/** The shared renderer, without a Hono context: same bodies, headers and request id. */
export function errorResponse(err: AppError, path: string, requestId: string): Response {
  const rendered = renderError(err, errorStyleFor(path), requestId, path)
  return new Response(JSON.stringify(rendered.body), { status: rendered.status, headers: rendered.headers })
}
