/**
 * The proxy's transport: one undici keep-alive pool per backend, driven through the low-level
 * `dispatch` handler API; exchange.ts decides what each answer becomes. Two ways out:
 * - `forward`, the portable path (Node and Deno): response bytes go from the socket straight into
 *   the web ReadableStream the client reads (web-relay.ts) — no intermediate Node stream — with
 *   backpressure both ways (the pool pauses the socket while the client is slow);
 * - `relay`, the Node fast path: the same bytes written straight to Node's ServerResponse
 *   (node-relay.ts), without building a web Response at all.
 * Errors before the response head become 502/503/504 (`AppError`s the caller renders); errors
 * after it end the stream (SSE gets one last `error` event so parsers do not hang).
 */
import type { ServerResponse } from 'node:http'
import { type Dispatcher, Pool } from 'undici'
import { proveInternal } from '../../../shared/internal-auth/prove.ts'
import { reportOutcomes } from '../../../shared/outcomes/dispatcher.ts'
import type { OutcomeSink } from '../../../shared/outcomes/reporter.ts'
import type { BackendName } from '../domain/route-table.ts'
import { createClientWatch } from './client-watch.ts'
import type { Exchange, ExchangeOptions, ForwardRequest, OpenStreams } from './exchange.ts'
import { NodeExchange } from './node-relay.ts'
import { WebExchange } from './web-relay.ts'

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
  /**
   * Each proxied request's outcome goes here (the connectivity monitor), the backend's name as
   * target; a backend's 5xx speaks for its upstream, so only a backend that does not answer fails.
   */
  outcomes?: OutcomeSink
}

export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const targets = new Map<
    BackendName,
    { pool: Pool; dispatcher: Dispatcher; origin: string; basePath: string }
  >()
  for (const [name, url] of Object.entries(options.urls) as Array<[BackendName, string]>) {
    const parsed = new URL(url)
    const pool = new Pool(parsed.origin, {
      connections: options.connections,
      connect: { timeout: options.connectTimeoutMs },
      keepAliveTimeout: 30_000,
      pipelining: 1,
    })
    // Every proxied request proves the installation's secret (shared/internal-auth/).
    const proven = proveInternal(pool)
    const dispatcher = options.outcomes
      ? reportOutcomes(proven, options.outcomes, { [parsed.origin]: name }, { relays: true })
      : proven
    targets.set(name, {
      pool,
      dispatcher,
      origin: parsed.origin,
      basePath: parsed.pathname.replace(/\/+$/, ''),
    })
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
    target.dispatcher.dispatch(
      {
        // A pool knows its origin; the outcome reporter reads it here.
        origin: target.origin,
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
