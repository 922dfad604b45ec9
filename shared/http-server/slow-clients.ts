/**
 * Slow clients are dropped within about 15 s, without cutting long uploads or long answers (a chat
 * stream, an event stream, a request held through a model swap): the request head must arrive
 * within `headersMs`, and a request body must keep arriving — at least `MIN_BODY_BYTES` every
 * `bodyStallMs` — unless the service is the one not reading it. Nothing times an answer.
 */
import type { IncomingMessage, Server } from 'node:http'
import { type EnvSource, env, loadConfig } from '../config.ts'

export interface ClientTimeouts {
  /** The whole request head (request line and headers) must arrive within this. */
  headersMs: number
  /** Each such period a request body must bring at least `MIN_BODY_BYTES`, or its connection is dropped. */
  bodyStallMs: number
}

/** A trickle below this per `bodyStallMs` (under 140 B/s at the default) is a stalled body. */
export const MIN_BODY_BYTES = 1024

/**
 * A slow head is dropped within 11 s (the timeout and one check); a stalled body within two periods
 * (the stall may begin just after a check): 15 s.
 */
export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = { headersMs: 10_000, bodyStallMs: 7500 }

/** `HTTP_HEADERS_TIMEOUT_MS` and `HTTP_BODY_STALL_MS`, read by every service at start. */
export function clientTimeoutsFrom(source: EnvSource): ClientTimeouts {
  const config = loadConfig(
    {
      HTTP_HEADERS_TIMEOUT_MS: env.int(DEFAULT_CLIENT_TIMEOUTS.headersMs, 100, 120_000),
      HTTP_BODY_STALL_MS: env.int(DEFAULT_CLIENT_TIMEOUTS.bodyStallMs, 100, 600_000),
    },
    source,
  )
  return { headersMs: config.HTTP_HEADERS_TIMEOUT_MS, bodyStallMs: config.HTTP_BODY_STALL_MS }
}

/**
 * Node checks `headersTimeout` only every `connectionsCheckingInterval` (30 s by default: a slow
 * head lived 53 s); this many checks per timeout keep the overshoot small.
 */
export const connectionsCheckingInterval = (t: ClientTimeouts) => Math.max(50, Math.floor(t.headersMs / 10))

export function applyClientTimeouts(server: Server, t: ClientTimeouts): void {
  server.headersTimeout = t.headersMs
  // Whole requests are not timed: an upload may take minutes; its body is watched instead.
  server.requestTimeout = 0
  // Longer than the gateway's pool keeps an idle connection to a service (30 s), so the pool never
  // sends on a connection the service is closing.
  server.keepAliveTimeout = 65_000
}

/** Drops the connection of a request whose body stops arriving while the service waits to read it. */
export function watchBody(req: IncomingMessage, t: ClientTimeouts): void {
  if (req.complete || req.method === 'GET' || req.method === 'HEAD') return
  const socket = req.socket
  let seen = socket.bytesRead
  const check = setInterval(() => {
    if (req.complete || socket.destroyed) return clearInterval(check)
    const arrived = socket.bytesRead - seen
    seen = socket.bytesRead
    // A full buffer means the service is the one not reading (a slow upstream): not the client's fault.
    if (arrived >= MIN_BODY_BYTES || req.readableLength >= req.readableHighWaterMark) return
    clearInterval(check)
    socket.destroy()
  }, t.bodyStallMs)
  check.unref()
  req.once('close', () => clearInterval(check))
}
