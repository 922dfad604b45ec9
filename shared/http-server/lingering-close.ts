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
 * A 413 sent while the body is still arriving says `Connection: close`: nothing more will be read
 * on this connection, and the client must not send its next request on it.
 */
export function closeAfterRefusal(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.method === 'GET' || req.method === 'HEAD') return
  const writeHead = res.writeHead
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status === 413 && !req.complete) this.shouldKeepAlive = false
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest)
  } as ServerResponse['writeHead']
}
