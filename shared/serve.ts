/**
 * Runs an app on Node (via @hono/node-server) or Deno (Deno.serve) — the only runtime-specific
 * code in the project — and shuts it down gracefully: stop accepting, end streams, let in-flight
 * requests finish (for at most `graceMs`), run the service's closers, exit within 10 s.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { closeAfterEarlyAnswer, closeLingering } from './http-server/lingering-close.ts'
import { SHUTDOWN_SIGNALS, shutdownSignalListener } from './http-server/signals.ts'
import {
  applyClientTimeouts,
  type ClientTimeouts,
  connectionsCheckingInterval,
  DEFAULT_CLIENT_TIMEOUTS,
  watchBody,
} from './http-server/slow-clients.ts'
import type { Logger } from './logger.ts'

type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * A Node-only shortcut in front of `fetch`: it sees each request first, as Node's own objects, and
 * returns true when it has taken charge of answering it. Anything it declines goes to `fetch`.
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean

export interface ServeOptions {
  fetch: FetchHandler
  port: number
  hostname: string
  logger: Logger
  /** Aborted when shutdown begins; pass the same controller's signal to createService. */
  lifecycle: AbortController
  /** Closers run after the listener stops (SSH clients, agents, databases). */
  onClose?: Array<() => unknown | Promise<unknown>>
  /** How long in-flight requests may run on after shutdown begins; then their connections are cut. */
  graceMs?: number
  /** Install SIGTERM/SIGINT handlers (main does; tests call `close()` themselves). */
  handleSignals?: boolean
  /**
   * Tried before `fetch` on Node, for paths where building web Request/Response objects is the
   * main cost (the gateway's proxy). Deno ignores it and serves everything through `fetch`.
   */
  nodeHandler?: NodeHandler
  /** How long a client may take over its request head and body (Node only); the defaults otherwise. */
  clientTimeouts?: ClientTimeouts
}

export interface RunningServer {
  port: number
  close(): Promise<void>
}

interface DenoLike {
  serve(
    options: {
      port: number
      hostname: string
      signal: AbortSignal
      onListen?: (addr: { port: number }) => void
    },
    handler: FetchHandler,
  ): { finished: Promise<void>; addr: { port: number } }
  addSignalListener(signal: string, handler: () => void): void
  exit(code: number): never
}

/** The whole shutdown (docs/ARCHITECTURE.md#shutdown): past it the process exits 1 whatever still runs. */
const SHUTDOWN_BUDGET_MS = 10_000
/**
 * In-flight requests get half the budget: the closers (swap record, SSH sessions, pools, SQLite)
 * need the rest, and long streams (a chat generation) would otherwise use all of it.
 */
const DEFAULT_GRACE_MS = 5000

const denoRuntime = (): DenoLike | undefined => (globalThis as { Deno?: DenoLike }).Deno

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const deno = denoRuntime()
  const running = deno ? serveDeno(deno, options) : await serveNode(options)
  options.logger.info(
    { port: running.port, host: options.hostname, runtime: deno ? 'deno' : 'node' },
    'listening',
  )
  if (options.handleSignals) {
    const listener = shutdownSignalListener(options.logger, {
      begin: (signal) => shutDown(running, options.logger, signal),
      force: () => exit(1),
    })
    for (const signal of SHUTDOWN_SIGNALS) {
      if (deno) deno.addSignalListener(signal, () => listener(signal))
      // `on`, never `once`: with no listener left, a repeated signal would kill the process mid-drain.
      else process.on(signal, listener)
    }
  }
  return running
}

function shutDown(running: RunningServer, logger: Logger, signal: string) {
  logger.info({ signal }, 'shutting down')
  const started = Date.now()
  const hardStop = setTimeout(() => {
    logger.error({ ms: Date.now() - started }, 'shutdown budget exceeded; exiting now')
    exit(1)
  }, SHUTDOWN_BUDGET_MS - 500)
  ;(hardStop as { unref?: () => void }).unref?.()
  running.close().then(
    () => {
      logger.info({ ms: Date.now() - started }, 'stopped')
      exit(0)
    },
    (err: unknown) => {
      logger.error({ err }, 'shutdown failed')
      exit(1)
    },
  )
}

function exit(code: number): void {
  const deno = denoRuntime()
  if (deno) deno.exit(code)
  else process.exit(code)
}

async function runClosers(options: ServeOptions) {
  for (const close of options.onClose ?? []) {
    try {
      await close()
    } catch (err) {
      options.logger.warn({ err }, 'closer failed')
    }
  }
}

async function serveNode(options: ServeOptions): Promise<RunningServer> {
  const { getRequestListener } = await import('@hono/node-server')
  const { createServer } = await import('node:http')
  const viaFetch = getRequestListener(options.fetch, { hostname: options.hostname })
  const first = options.nodeHandler
  const timeouts = options.clientTimeouts ?? DEFAULT_CLIENT_TIMEOUTS
  const server = createServer(
    { connectionsCheckingInterval: connectionsCheckingInterval(timeouts) },
    (req, res) => {
      watchBody(req, timeouts)
      closeAfterEarlyAnswer(req, res)
      if (!first?.(req, res)) void viaFetch(req, res)
    },
  )
  server.on('connection', closeLingering)
  applyClientTimeouts(server, timeouts)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.hostname, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  return {
    port,
    async close() {
      options.lifecycle.abort()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Connections turn idle as their streams and in-flight requests finish; close each as it does.
      server.closeIdleConnections()
      const sweep = setInterval(() => server.closeIdleConnections(), 50)
      const grace = setTimeout(() => server.closeAllConnections(), options.graceMs ?? DEFAULT_GRACE_MS)
      grace.unref()
      await closed
      clearInterval(sweep)
      clearTimeout(grace)
      await runClosers(options)
    },
  }
}

function serveDeno(deno: DenoLike, options: ServeOptions): RunningServer {
  const stop = new AbortController()
  let port = options.port
  const server = deno.serve(
    {
      port: options.port,
      hostname: options.hostname,
      signal: stop.signal,
      onListen: (addr) => {
        port = addr.port
      },
    },
    options.fetch,
  )
  port = server.addr.port
  return {
    port,
    async close() {
      options.lifecycle.abort()
      stop.abort()
      await server.finished
      await runClosers(options)
    },
  }
}
