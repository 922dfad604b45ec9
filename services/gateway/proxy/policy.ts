/**
 * The proxy's policy: what every proxied request goes through, whichever front door delivered it
 * (portable-front-door.ts, or node-front-door.ts on Node) — the path it is routed by (the table
 * itself is domain/route-table.ts), the refusals before anything is forwarded (backend switched
 * off, cross-site, API key, declared body too large), the budgets (body limit, timeout), the error a
 * failure becomes and how it is rendered, and the metric. Both front doors call the same
 * functions, so they cannot drift apart.
 */

import { ACTOR_HEADER, MAY_SWAP_HEADER } from '../../../shared/auth/credentials.ts'
import type { ApiKeyAuth } from '../../../shared/auth/guard.ts'
import { AppError, errorStyleFor, payloadTooLarge, renderError } from '../../../shared/errors.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { Metrics } from '../../../shared/metrics.ts'
import { isCrossSiteControlRequest } from '../domain/csrf.ts'
import { isNeverLimited, type RateLimiter } from '../domain/rate-limit.ts'
import { groupFor } from '../domain/route-groups.ts'
import type { Budget, Route } from '../domain/route-table.ts'
import type { ScannedHeaders } from './headers.ts'

export interface ProxyPolicyOptions {
  limits: Record<Budget, number>
  timeouts: Record<Budget, number>
  /**
   * `DISABLED_SERVICES`: backends switched off on purpose answer 503 without a retry hint. Read per
   * request: the list follows the Settings page (a handful of names, so a scan costs nothing).
   */
  disabled: readonly string[]
  metrics: Metrics
  logger: Logger
  /** API keys (opt-in per route group); absent: every route is open, as before keys existed. */
  auth?: ApiKeyAuth
  /** Rate limits (opt-in, domain/rate-limit.ts); absent: nothing is counted. */
  limiter?: RateLimiter
}

export const crossSiteRefused = () =>
  new AppError(
    403,
    'cross_site_request',
    'Cross-site request refused: control routes only accept requests from this site.',
  )

const METHOD_LABELS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** The decisions both front doors share; see the top of this file. */
export interface ProxyPolicy {
  /**
   * Throws the refusal (backend switched off, cross-site, missing or insufficient API key, over a
   * rate limit, declared body too large); else the budgets. Adds `X-Spark-Actor` to the forwarded headers.
   */
  admit(
    route: Route,
    method: string,
    path: string,
    h: ScannedHeaders,
  ): Promise<{ limit: number; timeoutMs: number }>
  /** Any failure as the AppError to answer with; 5xx are logged, anything unexpected as a bug. */
  failure(err: unknown, route: Route, requestId: string): AppError
  /** One metric (and, at debug level, one line) per proxied request; `started` from performance.now(). */
  record(route: Route, method: string, status: number, started: number, requestId: string): void
}

export function createProxyPolicy(options: ProxyPolicyOptions): ProxyPolicy {
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

  return {
    async admit(route, method, path, h) {
      if (options.disabled.includes(route.service)) {
        throw new AppError(
          503,
          'service_disabled',
          `${route.service} is turned off on this installation (DISABLED_SERVICES).`,
        )
      }
      if (isCrossSiteControlRequest(method, path, h)) throw crossSiteRefused()
      const group = groupFor(method, path, route)
      const actor = options.auth ? options.auth.check(group, h) : h.actor
      forwardActor(h, actor)
      if (options.limiter && !isNeverLimited(path, route)) {
        // Without keys on, a client-claimed actor is no identity to count by: the address is.
        await options.limiter.take(group ?? 'default', {
          key: options.auth ? actor : null,
          address: h.client,
        })
      }
      // A chat request may load a model on demand: with admin behind a key, only an admin key may.
      if (group === 'chat' && options.auth?.groups.has('admin')) {
        h.headers.push(MAY_SWAP_HEADER, options.auth.hasScope('admin', h) ? 'yes' : 'no')
      }
      const limit = options.limits[route.budget]
      if (h.contentLength !== null && h.contentLength > limit) throw payloadTooLarge(limit)
      return { limit, timeoutMs: options.timeouts[route.budget] }
    },

    failure(err, route, requestId) {
      const appError = err instanceof AppError ? err : unexpected(err, requestId)
      if (appError.status >= 500) {
        options.logger.warn(
          { reqId: requestId, route: route.pattern, status: appError.status, detail: appError.message },
          'proxy error',
        )
      }
      return appError
    },

    record(route, method, status, started, requestId) {
      const seconds = (performance.now() - started) / 1000
      const labels = {
        route: route.pattern,
        method: METHOD_LABELS.has(method) ? method : 'OTHER',
        status: String(status),
      }
      requests.inc(labels)
      duration.observe(labels, seconds)
      if (debug) {
        options.logger.debug(
          {
            reqId: requestId,
            method,
            route: route.pattern,
            status,
            ms: Math.round(seconds * 1000),
          },
          'proxied',
        )
      }
    },
  }
}

/**
 * With keys on, the audit's "who" is the key's name and nothing a client claims; with keys off,
 * a caller may still name itself, as before keys existed.
 */
function forwardActor(h: ScannedHeaders, actor: string | null) {
  if (actor !== null) h.headers.push(ACTOR_HEADER, actor)
}

/** Path (no query) of a request target, the part the route table and the error style go by. */
export function pathOf(target: string): string {
  const queryStart = target.indexOf('?')
  return queryStart === -1 ? target : target.slice(0, queryStart)
}

/** The shared renderer, without a Hono context: same bodies, headers and request id on both paths. */
export function renderProxyError(err: AppError, path: string, requestId: string) {
  const rendered = renderError(err, errorStyleFor(path), requestId, path)
  return { status: rendered.status, headers: rendered.headers, body: JSON.stringify(rendered.body) }
}
