/**
 * The proxy's transport: one undici keep-alive pool per backend, driven through the low-level
 * `dispatch` handler API; exchange.ts decides what each answer becomes. Two ways out:
 * - `forward`, the portable path (Node and Deno): response bytes go from the socket straight into
 *   the web ReadableStream the client reads — no intermediate Node stream — with backpressure both
 *   ways (the pool pauses the socket while the client is slow);
 * - `relay`, the Node fast path: the same bytes written straight to Node's ServerResponse
 *   (node-relay.ts), without building a web Response at all.
 * Errors before the response head become 502/503/504 (`AppError`s the caller renders); errors
 * after it end the stream (SSE gets one last `error` event so parsers do not hang).
 */
import type { ServerResponse } from 'node:http'
import { type Dispatcher, Pool } from 'undici'
import type { AppError } from '../../../shared/errors.ts'
import type { BackendName } from '../domain/route-table.ts'
import { type ClientWatch, createClientWatch, type Watchable } from './client-watch.ts'
import { Exchange, type ExchangeOptions, type ForwardRequest, type OpenStreams } from './exchange.ts'
import { NodeExchange } from './node-relay.ts'
import { type ResponseHeaders, webHeaders } from './upstream-outcome.ts'

export type { ForwardRequest } from './exchange.ts'

export interface UpstreamProxy {
  forward(request: ForwardRequest): Promise<Response>
  /**
   * Node only: the answer is written to `res` as it arrives. Resolves with the status once the head
   * is out; rejects with the AppError to answer with when nothing was sent.
   */
  relay(request: ForwardRequest, res: ServerResponse): Promise<number>
  close(): Promise<void>
}

export interface UpstreamProxyOptions extends Omit<ExchangeOptions, 'streams'> {
  urls: Record<BackendName, string>
  connectTimeoutMs: number
  connections: number
  /** Aborted when shutdown begins: open event streams (`endOnShutdown`) end at once. */
  shutdown?: AbortSignal
}

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
  const open = new Set<Exchange>()
  const shutdown = options.shutdown
  const streams: OpenStreams = {
    add(exchange) {
      // A stream that opens after shutdown began (a keep-alive connection's last request) ends at once.
      if (shutdown?.aborted) queueMicrotask(() => exchange.endForShutdown())
      else open.add(exchange)
    },
    delete: (exchange) => open.delete(exchange),
  }
  shutdown?.addEventListener(
    'abort',
    () => {
      for (const exchange of [...open]) exchange.endForShutdown()
      open.clear()
    },
    { once: true },
  )
  const exchangeOptions: ExchangeOptions = { ...options, streams }

  function dispatch(req: ForwardRequest, exchange: Exchange) {
    const target = targets.get(req.service)!
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
  }

  async function close() {
    clients.close()
    const pools = [...targets.values()].map((t) => t.pool)
    // Runs once the server has closed every client connection, so little is left: a moment, then cut.
    const grace = new Promise<'late'>((r) => setTimeout(() => r('late'), 1000))
    const closed = await Promise.race([Promise.all(pools.map((p) => p.close())), grace])
    if (closed === 'late') await Promise.all(pools.map((p) => p.destroy()))
  }

  return {
    forward: (req) =>
      new Promise<Response>((resolve, reject) => {
        dispatch(req, new WebExchange(req, exchangeOptions, resolve, reject, clients))
      }),
    relay: (req, res) =>
      new Promise<number>((resolve, reject) => {
        dispatch(req, new NodeExchange(req, exchangeOptions, res, resolve, reject))
      }),
    close,
  }
}

/** The portable path's end of an exchange: a web Response, its body a ReadableStream when it streams. */
class WebExchange extends Exchange implements Watchable {
  private stream: ReadableStreamDefaultController<Uint8Array> | null = null
  private readonly resolve: (res: Response) => void
  private readonly reject: (err: AppError) => void
  private readonly clients: ClientWatch

  constructor(
    req: ForwardRequest,
    options: ExchangeOptions,
    resolve: (res: Response) => void,
    reject: (err: AppError) => void,
    clients: ClientWatch,
  ) {
    super(req, options)
    this.resolve = resolve
    this.reject = reject
    this.clients = clients
    if (req.clientSignal) clients.add(this)
  }

  /** The answer is slow in coming: from now on a client that leaves aborts the backend request. */
  watch() {
    if (this.settled || this.finished || !this.req.clientSignal) return
    const signal = this.req.clientSignal()
    if (signal.aborted) this.clientGone()
    // Not removed when done (removal costs more than it saves); a late abort finds `finished` set.
    else signal.addEventListener('abort', () => this.clientGone(), { once: true })
  }

  private settle(response: Response) {
    this.clients.remove(this)
    this.resolve(response)
  }

  protected sendWhole(status: number, headers: ResponseHeaders, body: Uint8Array<ArrayBuffer> | null) {
    this.settle(new Response(body, { status, headers: webHeaders(headers) }))
  }

  protected sendHead(status: number, headers: ResponseHeaders) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.stream = c
        },
        pull: () => this.resume(),
        cancel: () => this.streamCancelled(),
      },
      { highWaterMark: STREAM_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
    )
    this.settle(new Response(body, { status, headers: webHeaders(headers) }))
  }

  protected sendChunk(chunk: Uint8Array): boolean {
    this.stream!.enqueue(chunk)
    return (this.stream!.desiredSize ?? 1) > 0
  }

  protected sendEnd() {
    this.stream!.close()
  }

  protected fail(err: AppError) {
    this.clients.remove(this)
    this.reject(err)
  }

  protected cut(err: Error, last: Uint8Array | null) {
    if (!this.stream) return
    if (last === null) return this.stream.error(err)
    this.stream.enqueue(last)
    this.stream.close()
  }
}
