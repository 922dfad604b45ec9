/**
 * Hono's body limit, without turning every request into a full web `Request`. Hono's middleware
 * first asks for `c.req.raw.body`; on @hono/node-server that builds the whole web Request, with a
 * stream around the socket, and the JSON validator then reads the body through that stream instead
 * of straight from the socket. For the connectivity monitor's outcome batches that was a fifth of
 * each request's CPU.
 *
 * Here a body with a Content-Length is judged by the header, as Hono does once it has looked, and a
 * GET or HEAD with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3). Any
 * other body (chunked, or a Request built in-process with no length) goes to Hono's middleware,
 * which counts it as it arrives.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'

export interface BodyLimitOptions {
  maxSize: number
  /** Called for a body over the limit; it throws or returns the answer. */
  onError: (c: Context) => Response | Promise<Response>
}

const BODILESS = new Set(['GET', 'HEAD'])

export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const counted = bodyLimit(options)
  return async (c, next) => {
    const chunked = c.req.header('transfer-encoding') !== undefined
    const length = c.req.header('content-length')
    if (!chunked && length !== undefined)
      return Number.parseInt(length, 10) > options.maxSize ? options.onError(c) : next()
    return chunked || !BODILESS.has(c.req.method) ? counted(c, next) : next()
  }
}
