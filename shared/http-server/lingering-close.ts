/**
 * How a connection closes when its request body was not all read: an over-limit upload answered
 * 413, or any answer sent before the body arrived. Closing a socket with unread bytes in its
 * receive buffer sends a reset, and a client still busy writing its body then sees a broken pipe
 * instead of the answer already on its way (the 413 lost for 14 of 50 clients sending 11 MB).
 * So the answer goes out with `Connection: close` and a FIN, a bounded amount of the body is still
 * read and dropped, then reading stops (the client's writes wait on TCP flow control, not a reset)
 * while it reads the answer; only then is the socket destroyed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Body bytes read and dropped after the answer, at most (a client slightly over the limit finishes cleanly). */
const DRAIN_BYTES = 2 * 1024 * 1024
/** How long the body is read and dropped after the answer, at most. */
const DRAIN_MS = 1000
/** How long the client then has to read the answer before the socket is destroyed (a busy client reads late). */
const LINGER_MS = 2000
const CHECK_MS = 50

const lingering = new WeakSet<Socket>()

/**
 * Every path that gives up on a request body ends in `socket.destroySoon()`: Node's own close
 * after a `Connection: close` answer, @hono/node-server's drain, the gateway's. Each becomes a
 * lingering close on this server's sockets.
 */
export function closeLingering(socket: Socket): void {
  socket.destroySoon = () => linger(socket)
}

function linger(socket: Socket) {
  if (socket.destroyed || lingering.has(socket)) return
  lingering.add(socket)
  // FIN once the answer is written; the socket stays readable (HTTP server sockets allow half-open).
  socket.end()
  const started = Date.now()
  const firstByte = socket.bytesRead
  let destroyLater = setTimeout(() => socket.destroy(), DRAIN_MS + LINGER_MS)
  const check = setInterval(() => {
    if (socket.bytesRead - firstByte <= DRAIN_BYTES && Date.now() - started < DRAIN_MS) return
    clearInterval(check)
    socket.pause()
    clearTimeout(destroyLater)
    destroyLater = setTimeout(() => socket.destroy(), LINGER_MS)
    destroyLater.unref()
  }, CHECK_MS)
  check.unref()
  destroyLater.unref()
  socket.once('close', () => {
    clearInterval(check)
    clearTimeout(destroyLater)
  })
}

/**
 * Any answer sent while the request body is still arriving (a 413, an early 4xx, a 401; a handler
 * that answers synchronously answers before even a body in the same packet is parsed) says
 * `Connection: close`. Kept alive, the connection was closed anyway when the rest of the body did
 * not drain in time (@hono/node-server's drain gives up after 0.5 s), and a client's pool that had
 * reused it in between (the gateway's) failed that next request with "other side closed": a
 * sporadic 502 for any POST under concurrency (4 to 6 in 4,900 fuzz cases).
 */
export function closeAfterEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.method === 'GET' || req.method === 'HEAD') return
  const writeHead = res.writeHead
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!req.complete) this.shouldKeepAlive = false
    return (writeHead as (...args: unknown[]) => ServerResponse).apply(this, args)
  } as ServerResponse['writeHead']
}
