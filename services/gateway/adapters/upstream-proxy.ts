/**
 * The proxy's transport: one undici keep-alive pool per backend, driven through the low-level
 * `dispatch` handler API. Response bytes go from the socket straight into the web ReadableStream
 * the client reads — no intermediate Node stream — with backpressure both ways (the pool pauses
 * the socket while the client is slow). Only answers with a small declared length are collected
 * first, to go out in one write. Errors before the response head become 502/503/504 (`AppError`s
 * the caller renders); errors after it end the stream (SSE gets one last `error` event so parsers
 * do not hang). Runs on Node and Deno: only undici and web streams.
 */
import { type Dispatcher, Pool } from 'undici'
import type { AppError } from '../../../shared/errors.ts'
import type { BackendName } from '../domain/route-table.ts'
import { type ClientWatch, createClientWatch, type Watchable } from './client-watch.ts'
import { classify, ClientGone, concat, responseHeaders, sseErrorEvent } from './upstream-outcome.ts'

export interface ForwardRequest {
  service: BackendName
  method: string
  /** Path and query, as the backend should see them. */
  path: string
  /** Flat `[name, value, …]` list, hop-by-hop headers already removed. */
  headers: string[]
  body: AsyncIterable<Uint8Array> | Uint8Array | null
  /** Time allowed for the response head, and between two body chunks. */
  timeoutMs: number
  /**
   * The client's request signal, fired when the client goes away. A getter: merely reading
   * `request.signal` has a cost, paid only for requests that wait (see client-watch.ts).
   */
  clientSignal: (() => AbortSignal) | null
  requestId: string
}

export interface UpstreamProxy {
  forward(request: ForwardRequest): Promise<Response>
  close(): Promise<void>
}

export interface UpstreamProxyOptions {
  urls: Record<BackendName, string>
  connectTimeoutMs: number
  connections: number
  retryAfterS: number
  /** Told when a stream breaks after its head was sent: the client only sees a cut connection. */
  onBrokenStream?: (info: { service: BackendName; requestId: string; reason: string }) => void
}

/**
 * Answers with a declared length up to this size are collected and sent whole: one write instead of
 * head-then-body, and no stream to set up. Streams (SSE, unknown length) and larger bodies flow.
 */
const SMALL_RESPONSE_BYTES = 64 * 1024

/** The client's bytes are buffered up to this much while the reader is slower than the backend. */
const STREAM_HIGH_WATER_BYTES = 64 * 1024

export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const targets = new Map<BackendName, { pool: Pool; basePath: string }>()
  for (const [name, url] of Object.entries(options.urls) as Array<[BackendName, string]>) {
    const parsed = new URL(url)
    const pool = new Pool(parsed.origin, {
      connections: options.connections,
      connect: { timeout: options.connectTimeoutMs },
      keepAliveTimeout: 30_000,
      pipelining: 1,
    })
    targets.set(name, { pool, basePath: parsed.pathname.replace(/\/+$/, '') })
  }

  const clients = createClientWatch()

  function forward(req: ForwardRequest): Promise<Response> {
    const target = targets.get(req.service)!
    return new Promise<Response>((resolve, reject) => {
      const exchange = new Exchange(req, resolve, reject, options, clients)
      target.pool.dispatch(
        {
          path: target.basePath + req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: req.body as Dispatcher.DispatchOptions['body'],
          headersTimeout: req.timeoutMs,
          bodyTimeout: req.timeoutMs,
        },
        exchange,
      )
    })
  }

  async function close() {
    clients.close()
    const pools = [...targets.values()].map((t) => t.pool)
    // In-flight streams end with their clients; give stragglers a moment, then cut them.
    const grace = new Promise<'late'>((r) => setTimeout(() => r('late'), 2000))
    const closed = await Promise.race([Promise.all(pools.map((p) => p.close())), grace])
    if (closed === 'late') await Promise.all(pools.map((p) => p.destroy()))
  }

  return { forward, close }
}

/** One request/response through the pool; the handler undici calls as bytes arrive. */
class Exchange implements Dispatcher.DispatchHandler, Watchable {
  private controller: Dispatcher.DispatchController | null = null
  private pendingAbort: Error | null = null
  private stream: ReadableStreamDefaultController<Uint8Array> | null = null
  private settled = false
  private ended = false
  /** The exchange with the backend is over (complete or failed). */
  private finished = false
  private sse = false
  private small: { init: ResponseInit; chunks: Uint8Array[]; size: number } | null = null
  private readonly req: ForwardRequest
  private readonly resolve: (res: Response) => void
  private readonly reject: (err: AppError) => void
  private readonly options: UpstreamProxyOptions
  private readonly clients: ClientWatch

  constructor(
    req: ForwardRequest,
    resolve: (res: Response) => void,
    reject: (err: AppError) => void,
    options: UpstreamProxyOptions,
    clients: ClientWatch,
  ) {
    this.req = req
    this.resolve = resolve
    this.reject = reject
    this.options = options
    this.clients = clients
    if (req.clientSignal) clients.add(this)
  }

  /** The answer is slow in coming: from now on a client that leaves aborts the backend request. */
  watch() {
    if (this.settled || this.finished || !this.req.clientSignal) return
    const signal = this.req.clientSignal()
    if (signal.aborted) this.onClientAbort()
    // Not removed when done (removal costs more than it saves); a late abort finds `finished` set.
    else signal.addEventListener('abort', this.onClientAbort, { once: true })
  }

  private readonly onClientAbort = () => {
    if (!this.finished) this.abort(new ClientGone())
  }

  private abort(reason: Error) {
    if (this.controller) this.controller.abort(reason)
    else this.pendingAbort = reason
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller
    if (this.pendingAbort) controller.abort(this.pendingAbort)
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ) {
    if (status < 200) return
    if (status > 599) {
      controller.abort(new Error(`answered with HTTP status ${status}`))
      return
    }
    const init = { status, headers: responseHeaders(headers, this.req.requestId) }
    if (this.req.method === 'HEAD' || status === 204 || status === 205 || status === 304) {
      this.ended = true
      this.settle(new Response(null, init))
      return
    }
    this.sse = String(headers['content-type'] ?? '').startsWith('text/event-stream')
    // Collected, then sent with the head in one write: most JSON answers arrive in one packet anyway.
    if (!this.sse && Number(headers['content-length'] ?? Number.NaN) <= SMALL_RESPONSE_BYTES) {
      this.small = { init, chunks: [], size: 0 }
    } else this.settle(new Response(this.streamBody(), init))
  }

  private settle(response: Response) {
    this.settled = true
    this.clients.remove(this)
    this.resolve(response)
  }

  private streamBody(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.stream = c
        },
        pull: () => this.controller?.resume(),
        cancel: () => {
          this.ended = true
          this.abort(new ClientGone())
        },
      },
      { highWaterMark: STREAM_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
    )
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Uint8Array) {
    if (this.small) {
      this.small.chunks.push(chunk)
      this.small.size += chunk.byteLength
      return
    }
    if (this.ended || !this.stream) return
    this.stream.enqueue(chunk)
    if ((this.stream.desiredSize ?? 1) <= 0) controller.pause()
  }

  onResponseEnd() {
    this.finished = true
    if (this.small) {
      this.settle(new Response(concat(this.small.chunks, this.small.size), this.small.init))
      return
    }
    if (this.ended || !this.stream) return
    this.ended = true
    this.stream.close()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error) {
    this.finished = true
    if (!this.settled) {
      this.settled = true
      this.clients.remove(this)
      this.reject(classify(err, this.req, this.options.retryAfterS))
      return
    }
    if (this.ended || !this.stream) return
    this.ended = true
    if (err instanceof ClientGone) {
      this.stream.error(err)
      return
    }
    const failure = classify(err, this.req, this.options.retryAfterS)
    this.options.onBrokenStream?.({
      service: this.req.service,
      requestId: this.req.requestId,
      reason: failure.message,
    })
    if (this.sse) {
      // A broken stream would leave SSE parsers waiting; say what happened and end cleanly.
      this.stream.enqueue(sseErrorEvent(failure))
      this.stream.close()
    } else this.stream.error(err)
  }
}
