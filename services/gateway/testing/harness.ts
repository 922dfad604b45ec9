/**
 * Test scaffolding: fake backends on real sockets (127.0.0.1, port 0) and a gateway served over
 * real HTTP by the shared serve helper, as main.ts serves it on Node — proxied requests on the Node
 * fast path — so streaming, aborts and limits are exercised end to end.
 * proxy/portable-front-door.test.ts runs the proxy suites again on the portable path (web
 * Request/Response, as on Deno). Every server is closed by the test that starts it.
 */

import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hono } from 'hono'
import type { ApiKeyAuth } from '../../../shared/auth/guard.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { serve } from '../../../shared/serve.ts'
import type { AppEnv } from '../../../shared/service.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import { createBackendReader } from '../adapters/backend-reader.ts'
import type { KeysAdmin } from '../adapters/keys-admin.ts'
import { createServiceProbe } from '../adapters/service-probe.ts'
import { buildGateway, type GatewayAppConfig } from '../app.ts'
import type { RateLimiter } from '../domain/rate-limit.ts'
import type { BackendName } from '../domain/route-table.ts'
import { createUpstreamProxy, type UpstreamProxyOptions } from '../proxy/upstream.ts'
import type { DashboardLogin } from '../routes/login-setup.ts'

export interface Listening {
  url: string
  close(): Promise<void>
}

/**
 * A raw node:http backend: full control over timing, headers and aborts. A handler that fails
 * (typically: the gateway aborted the request mid-body) just drops its connection.
 */
export function listen(handler: (req: IncomingMessage, res: ServerResponse) => unknown): Promise<Listening> {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => res.destroy())
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

/** A port nothing listens on: bound, then released. */
export async function deadUrl(): Promise<string> {
  const probe = await listen(() => undefined)
  await probe.close()
  return probe.url
}

export const testConfig = (overrides: Partial<GatewayAppConfig> = {}): GatewayAppConfig => ({
  SIMULATED_CLUSTER: false,
  BODY_LIMIT_BYTES: 10 * 1024 * 1024,
  AUDIO_BODY_LIMIT_BYTES: 200 * 1024 * 1024,
  DISABLED_SERVICES: [],
  PROXY_CHAT_TIMEOUT_MS: 30 * 60_000,
  PROXY_AUDIO_TIMEOUT_MS: 30 * 60_000,
  PROXY_TIMEOUT_MS: 5 * 60_000,
  STATUS_PROBE_TIMEOUT_MS: 1000,
  ...overrides,
})

export interface GatewayUnderTest extends Listening {
  app: ReturnType<typeof buildGateway>['app']
  /** How proxied requests are served over HTTP (in-process `app.request` is always portable). */
  path: ServePath
  /** Request targets the Node fast path took (the first 1000), so tests can tell which path ran. */
  fastPathTook: string[]
}

/** `node`: main.ts's choice on Node (the fast path); `portable`: everything through `fetch`, as on Deno. */
export type ServePath = 'node' | 'portable'
let servePath: ServePath = 'node'

/** For a test file that runs the same tests on the other path (see proxy/portable-front-door.test.ts). */
export function useServePath(path: ServePath) {
  servePath = path
}

/** Backends not given point at a dead port, as if they were not running. */
export async function startGateway(
  given: Partial<Record<BackendName, string>>,
  options: {
    config?: Partial<GatewayAppConfig>
    dashboard?: Hono<AppEnv>
    onBrokenStream?: UpstreamProxyOptions['onBrokenStream']
    auth?: ApiKeyAuth
    /** CSRF tokens and the owner login (routes/login-setup.ts). */
    login?: DashboardLogin
    /** Rate limits and key management (domain/rate-limit.ts, routes/keys.ts). */
    limiter?: RateLimiter
    keys?: KeysAdmin
    /** The gateway's shutdown signal, as main.ts passes it to the proxy. */
    shutdown?: AbortSignal
    /** Where proxied requests' outcomes go, as main.ts passes the process's reporter. */
    outcomes?: UpstreamProxyOptions['outcomes']
  } = {},
): Promise<GatewayUnderTest> {
  const dead = await deadUrl()
  const urls = Object.fromEntries(BACKEND_SERVICES.map((s) => [s, given[s] ?? dead])) as Record<
    BackendName,
    string
  >
  const config = testConfig(options.config)
  const proxy = createUpstreamProxy({
    urls,
    connectTimeoutMs: 1000,
    connections: TEST_POOL_CONNECTIONS,
    retryAfterS: 5,
    onBrokenStream: options.onBrokenStream,
    shutdown: options.shutdown,
    outcomes: options.outcomes,
  })
  const reader = createBackendReader({ urls, timeoutMs: config.STATUS_PROBE_TIMEOUT_MS })
  const probe = createServiceProbe({ reader, urls, disabled: config.DISABLED_SERVICES, cacheMs: 0 })
  const logger = silentLogger()
  const { app, nodeHandler } = buildGateway({
    ...{ config, logger, proxy, reader, probe },
    ...{ dashboard: options.dashboard, auth: options.auth, login: options.login },
    ...{ limiter: options.limiter, keys: options.keys },
  })
  const path = servePath
  const fastPathTook: string[] = []
  const start = () =>
    serve({
      fetch: app.fetch,
      nodeHandler:
        path === 'portable'
          ? undefined
          : (req, res) => {
              const took = nodeHandler(req, res)
              if (took && fastPathTook.length < 1000) fastPathTook.push(req.url ?? '')
              return took
            },
      port: 0,
      hostname: '127.0.0.1',
      logger,
      lifecycle: new AbortController(),
      // Tests leave streams open on purpose; closing cuts them at once.
      graceMs: 0,
    })
  // The fast path leaves Hosts with a port from 60000 up to the portable path (proxy/node-front-door.ts);
  // a test gateway there would quietly test the wrong path.
  let server = await start()
  for (let tries = 0; server.port >= 60_000 && tries < 20; tries++) {
    const taken = server
    server = await start()
    await taken.close()
  }
  return {
    app,
    path,
    fastPathTook,
    url: `http://127.0.0.1:${server.port}`,
    async close() {
      await server.close()
      await Promise.all([proxy.close(), reader.close()])
    },
  }
}

/** Reads a request body whole (fakes only; the gateway itself never does this). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Connections per backend of the gateway under test: a burst beyond it waits in the gateway. */
export const TEST_POOL_CONNECTIONS = 16

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * A request through node:http, which (unlike fetch) lets a test send hop-by-hop headers such as
 * `Connection`, `TE` or `Proxy-Authorization`, and an exact Host or Origin.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}
