/**
 * The portable front door, which Deno runs (and Node, when the fast path is off). Requests for a
 * backend never enter Hono: no router, no context, no per-request child logger, no body-limit
 * wrapper that rebuilds the Request. What runs instead is the minimum a reverse proxy owes: one
 * route lookup, the policy (policy.ts), the forwarded headers (headers.ts), and errors in the
 * path's style. It speaks only web Request and Response, so Node (via @hono/node-server) and Deno
 * run it unchanged. Paths the table does not claim return null and go on to the Hono app.
 */

import { type AppError, badRequest } from '../../../shared/errors.ts'
import { type Route, resolveRoute } from '../domain/route-table.ts'
import { scanHeaders } from './headers.ts'
import { type ProxyPolicy, pathOf, renderProxyError } from './policy.ts'
import { requestBody } from './request-body.ts'
import type { UpstreamProxy } from './upstream.ts'

export interface PortableFrontDoorOptions {
  proxy: UpstreamProxy
  /** The same policy object the Node front door uses. */
  policy: ProxyPolicy
}

export type FrontDoor = (request: Request, env?: unknown) => Promise<Response> | null

export function createPortableFrontDoor({ proxy, policy }: PortableFrontDoorOptions): FrontDoor {
  async function proxied(request: Request, env: unknown, route: Route, path: string, target: string) {
    const started = performance.now()
    const method = request.method
    const h = scanHeaders(request, env)
    let status = 500
    try {
      const { limit, timeoutMs } = await policy.admit(route, method, path, h)
      const body =
        method === 'GET' || method === 'HEAD' ? null : await readableBody(request, h.contentLength, limit)
      if (body !== null && h.contentLengthHeader !== null) {
        h.headers.push('content-length', h.contentLengthHeader)
      }
      const response = await proxy.forward({
        service: route.service,
        method,
        path: route.upstreamPath ?? target,
        headers: h.headers,
        body,
        timeoutMs,
        clientSignal: () => request.signal,
        requestId: h.requestId,
        endOnShutdown: route.budget === 'standard',
      })
      status = response.status
      return response
    } catch (err) {
      const appError = policy.failure(err, route, h.requestId)
      status = appError.status
      return errorResponse(appError, path, h.requestId)
    } finally {
      policy.record(route, method, status, started, h.requestId)
    }
  }

  return (request, env) => {
    const url = request.url
    const pathStart = url.indexOf('/', url.indexOf('//') + 2)
    if (pathStart === -1) return null
    const target = url.slice(pathStart)
    const path = pathOf(target)
    const route = resolveRoute(path)
    if (route === null) return null
    return proxied(request, env, route, path, target)
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

function errorResponse(err: AppError, path: string, requestId: string): Response {
  const { status, headers, body } = renderProxyError(err, path, requestId)
  return new Response(body, { status, headers })
}
