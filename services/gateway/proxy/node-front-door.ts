/**
 * The gateway's Node fast path: on Node, a proxied request never becomes a web Request or Response.
 * Its headers are read from Node's raw list, its body goes to undici as Node's own chunks
 * (node-request-body.ts), and the answer is written straight to Node's response (node-relay.ts).
 * Building the web objects cost the gateway about a third of its CPU per request
 * (bench/README.md). Every decision is shared with the portable path, which Deno runs
 * (portable-front-door.ts): the route table, header filtering (`HeaderScan`), the policy
 * (refusals, budgets, errors, metrics), error rendering, and the exchange with the backend
 * (exchange.ts). Requests it declines — paths the gateway answers itself, and request targets the
 * portable path would rewrite — go on to the Hono app unchanged.
 */
import { Buffer } from 'node:buffer'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { NodeHandler } from '../../../shared/serve.ts'
import { type Route, resolveRoute } from '../domain/route-table.ts'
import { HeaderScan, type ScannedHeaders } from './headers.ts'
import { nodeBody, releaseBody } from './node-request-body.ts'
import { type ProxyPolicy, pathOf, renderProxyError } from './policy.ts'
import type { UpstreamProxy } from './upstream.ts'

export interface NodeFrontDoorOptions {
  proxy: UpstreamProxy
  /** The same policy object the portable front door uses. */
  policy: ProxyPolicy
}

/**
 * @hono/node-server gives the portable path the raw request target only when target and Host are
 * this plain (these are its rules); anything else it normalizes with WHATWG URL parsing (dot
 * segments, percent-encoding, host checks). Taking only plain requests, the fast path routes and
 * forwards exactly the string the portable path would.
 */
const PLAIN_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/
const PLAIN_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/

export function createNodeFrontDoor({ proxy, policy }: NodeFrontDoorOptions): NodeHandler {
  async function proxied(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    path: string,
    target: string,
    h: ScannedHeaders,
  ) {
    const started = performance.now()
    const method = req.method ?? 'GET'
    const hasBody = method !== 'GET' && method !== 'HEAD'
    let status = 500
    try {
      const { limit, timeoutMs } = await policy.admit(route, method, path, h)
      const body = hasBody ? await nodeBody(req, h.contentLength, limit) : null
      if (body !== null && h.contentLengthHeader !== null)
        h.headers.push('content-length', h.contentLengthHeader)
      status = await proxy.relay(
        {
          service: route.service,
          method,
          path: route.upstreamPath ?? target,
          headers: h.headers,
          body,
          timeoutMs,
          clientSignal: null,
          requestId: h.requestId,
          endOnShutdown: route.budget === 'standard',
        },
        res,
      )
    } catch (err) {
      const appError = policy.failure(err, route, h.requestId)
      status = appError.status
      writeError(res, renderProxyError(appError, path, h.requestId))
    } finally {
      policy.record(route, method, status, started, h.requestId)
      if (hasBody) releaseBody(req, res)
    }
  }

  return (req, res) => {
    const target = req.url ?? ''
    if (!PLAIN_TARGET.test(target) || DOT_SEGMENT.test(target)) return false
    const path = pathOf(target)
    const route = resolveRoute(path)
    if (route === null) return false
    const scan = new HeaderScan()
    const raw = req.rawHeaders
    for (let i = 0; i < raw.length; i += 2) scan.add(raw[i]!.toLowerCase(), raw[i + 1]!)
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true
    const h = scan.finish(secure, req.socket.remoteAddress ?? null)
    if (h.host === null || !PLAIN_HOST.test(h.host)) return false
    proxied(req, res, route, path, target, h).catch(() => res.destroy())
    return true
  }
}

function writeError(res: ServerResponse, rendered: ReturnType<typeof renderProxyError>) {
  if (res.destroyed) return
  if (res.headersSent) {
    res.destroy()
    return
  }
  // A head the server refused to write may have left some of the backend's headers set.
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.writeHead(rendered.status, {
    ...rendered.headers,
    'content-length': String(Buffer.byteLength(rendered.body)),
  })
  res.end(rendered.body)
}
