/**
 * The steady health check on a raw, kept-alive HTTP/1.1 connection: one `net.Socket` per target,
 * a request prebuilt once, and only the status and the body's framing read back
 * (response-reader.ts). A health check a second per target through undici cost about 1 ms of CPU
 * each on the test machine; this costs a fraction of that, and leaves undici to the functional
 * checks, which are rare.
 *
 * A check settles within its timeout whatever the peer does, never throws, and a connection is
 * kept only after a complete answer that allows it. A check that finds the kept connection busy
 * (a second check beside a slow one) goes on a connection of its own, closed after. A kept
 * connection the server closed while idle is retried once on a fresh one, as any HTTP client does.
 */
import { connect, type Socket } from 'node:net'
import { CANCELLED, failureOf, socketFailure } from './failure.ts'
import type { HttpResult } from './http.ts'
import { ResponseReader } from './response-reader.ts'

/** Shorter than the servers' own idle timeouts (uvicorn's and Node's are 5 s): never reuse a socket they are closing. */
export const KEEP_IDLE_MS = 3000

export interface HealthCall {
  timeoutMs: number
  signal: AbortSignal
  /** A connection of its own, even when the kept one is free. */
  fresh?: boolean
}

const SAFE_HEADER = /^[^\r\n]*$/

/** The bytes of `GET <path>` to `url`'s host, with `headers` (lines with CR or LF are dropped). */
export function healthRequest(url: URL, headers: Record<string, string> = {}): Buffer {
  const lines = [
    `GET ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    'Accept: application/json, text/plain',
    'User-Agent: spark-control-monitor',
  ]
  for (const [name, value] of Object.entries(headers))
    if (SAFE_HEADER.test(name) && SAFE_HEADER.test(value)) lines.push(`${name}: ${value}`)
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
}

const statusResult = (status: number): HttpResult =>
  status >= 200 && status < 300
    ? { ok: true, detail: `HTTP ${status}` }
    : { ok: false, kind: status >= 500 ? 'http_5xx' : 'bad_status', detail: `answered HTTP ${status}` }

/**
 * The checks in flight per signal, cancelled together by one listener. Adding and removing a
 * listener on an AbortSignal per check was a visible share of a probe's CPU, and the engine passes
 * the same signal to every probe.
 */
const cancels = new WeakMap<AbortSignal, Set<() => void>>()

function onAbortOf(signal: AbortSignal): Set<() => void> {
  let set = cancels.get(signal)
  if (!set) {
    const created = new Set<() => void>()
    set = created
    cancels.set(signal, created)
    signal.addEventListener(
      'abort',
      () => {
        for (const cancel of [...created]) cancel()
      },
      { once: true },
    )
  }
  return set
}

interface Exchange {
  result: HttpResult
  /** The socket ended before any byte of the answer: a kept connection may have gone stale. */
  unanswered: boolean
}

export class KeepAliveHealth {
  private readonly host: string
  private readonly port: number
  private readonly request: Buffer
  private idle: Socket | null = null
  private idleSince = 0
  private closed = false

  constructor(url: URL, headers?: Record<string, string>) {
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    this.port = Number(url.port || 80)
    this.request = healthRequest(url, headers)
  }

  async check(call: HealthCall): Promise<HttpResult> {
    if (call.signal.aborted) return { ok: false, ...CANCELLED }
    const started = performance.now()
    const kept = call.fresh ? null : this.takeIdle()
    const first = await this.exchange(kept ?? this.open(), call.timeoutMs, call.signal)
    if (!kept || !first.unanswered || call.signal.aborted) return first.result
    const left = call.timeoutMs - (performance.now() - started)
    if (left <= 0) return first.result
    return (await this.exchange(this.open(), left, call.signal)).result
  }

  /** Closes the kept connection; checks still out finish on their own sockets. */
  close(): void {
    this.closed = true
    this.idle?.destroy()
    this.idle = null
  }

  private open(): Socket {
    const socket = connect({ host: this.host, port: this.port })
    socket.setNoDelay(true)
    return socket
  }

  private takeIdle(): Socket | null {
    const socket = this.idle
    this.idle = null
    if (!socket) return null
    socket.removeAllListeners('close').removeAllListeners('data').removeAllListeners('error')
    if (socket.destroyed || performance.now() - this.idleSince > KEEP_IDLE_MS) {
      socket.destroy()
      return null
    }
    return socket
  }

  private keep(socket: Socket): void {
    if (this.closed || this.idle) {
      socket.destroy()
      return
    }
    this.idle = socket
    this.idleSince = performance.now()
    const drop = () => {
      if (this.idle === socket) this.idle = null
      socket.destroy()
    }
    // The server closing an idle connection is normal; anything it sends unasked ends it too.
    socket.once('close', drop).once('data', drop).on('error', drop)
  }

  private exchange(socket: Socket, timeoutMs: number, signal: AbortSignal): Promise<Exchange> {
    return new Promise((resolve) => {
      const reader = new ResponseReader()
      let connected = !socket.connecting
      let settled = false
      const settle = (result: HttpResult, reusable = false) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        cancels.get(signal)?.delete(onAbort)
        socket.off('data', onData).off('close', onClose).off('connect', onConnect)
        socket.off('error', onError)
        if (reusable) this.keep(socket)
        else {
          // A late error from a socket being torn down must not go unhandled.
          socket.on('error', () => undefined)
          socket.destroy()
        }
        resolve({ result, unanswered: !reader.started && !result.ok && result.kind === 'reset' })
      }
      const onData = (chunk: Buffer) => {
        const step = reader.push(chunk)
        if (!step.done) return
        if ('garbage' in step) settle({ ok: false, kind: 'other', detail: step.garbage })
        else settle(statusResult(step.status), step.reusable)
      }
      const onClose = () => {
        const step = reader.end()
        if (step.done && 'status' in step) settle(statusResult(step.status))
        else settle({ ok: false, ...failureOf('UND_ERR_SOCKET', 'connection closed') })
      }
      const onError = (err: Error) => settle({ ok: false, ...socketFailure(err) })
      const onConnect = () => {
        connected = true
      }
      const onAbort = () => settle({ ok: false, ...CANCELLED })
      // Fired late after a blocked event loop, the timer could beat an answer already waiting in
      // the socket: the verdict waits for one turn of the loop, which reads pending I/O first.
      const timer = setTimeout(() => {
        setImmediate(() =>
          settle({
            ok: false,
            kind: 'timeout',
            detail: connected ? `no answer within ${timeoutMs} ms` : `no connection within ${timeoutMs} ms`,
          }),
        )
      }, timeoutMs)
      onAbortOf(signal).add(onAbort)
      socket.on('data', onData).on('close', onClose).on('error', onError).once('connect', onConnect)
      socket.write(this.request)
    })
  }
}
