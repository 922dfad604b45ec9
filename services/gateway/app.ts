import type { Hono, MiddlewareHandler } from 'hono'
import type { AuditStore } from '../../shared/audit/store.ts'
import type { ApiKeyAuth } from '../../shared/auth/guard.ts'
import type { Logger } from '../../shared/logger.ts'
import { createMetrics, type Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import type { NodeHandler } from '../../shared/serve.ts'
import { type AppEnv, createService, type ServiceApp } from '../../shared/service.ts'
import { BACKEND_SERVICES } from '../../shared/topology.ts'
import { PRODUCT_VERSION } from '../../shared/version.ts'
import type { AuditSource } from './adapters/audit-source.ts'
import type { BackendReader } from './adapters/backend-reader.ts'
import type { KeysAdmin } from './adapters/keys-admin.ts'
import { createStatusSource, type ReadSwapJob, type ServiceProbe } from './adapters/service-probe.ts'
import type { SettingsStore } from './adapters/settings-store.ts'
import type { GatewayConfig } from './config.ts'
import { serviceDependency } from './domain/cluster-status.ts'
import { isCrossSiteControlRequest } from './domain/csrf.ts'
import type { OpenApiDoc } from './domain/openapi-merge.ts'
import { isNeverLimited, type RateLimiter } from './domain/rate-limit.ts'
import { groupFor } from './domain/route-groups.ts'
import { aliasGet, installFrontDoor } from './proxy/fetch-entry.ts'
import { clientAddress } from './proxy/headers.ts'
import { createNodeFrontDoor } from './proxy/node-front-door.ts'
import { createProxyPolicy, crossSiteRefused, type ProxyPolicyOptions } from './proxy/policy.ts'
import { createPortableFrontDoor } from './proxy/portable-front-door.ts'
import type { UpstreamProxy } from './proxy/upstream.ts'
import { mergedAuditRoutes } from './routes/audit.ts'
import { mountDashboard } from './routes/dashboard.ts'
import { docsRoutes, MERGED_DOC_PATH } from './routes/docs.ts'
import { keysRoutes } from './routes/keys.ts'
import { loginRoutes } from './routes/login.ts'
import { dashboardGuard } from './routes/login-guard.ts'
import type { DashboardLogin } from './routes/login-setup.ts'
import { modelsRoutes } from './routes/models.ts'
import { settingsRoutes } from './routes/settings.ts'
import { statusRoutes } from './routes/status.ts'
import { refusedFormRedirect, unlockRoutes } from './routes/unlock.ts'

export const SERVICE_NAME = 'gateway'

export type GatewayAppConfig = Pick<
  GatewayConfig,
  | 'SIMULATED_CLUSTER'
  | 'BODY_LIMIT_BYTES'
  | 'AUDIO_BODY_LIMIT_BYTES'
  | 'DISABLED_SERVICES'
  | 'PROXY_CHAT_TIMEOUT_MS'
  | 'PROXY_AUDIO_TIMEOUT_MS'
  | 'PROXY_TIMEOUT_MS'
  | 'STATUS_PROBE_TIMEOUT_MS'
>

export interface GatewayDeps {
  config: GatewayAppConfig
  logger: Logger
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Adapters; main.ts builds the real ones, tests point them at fake backends. */
  proxy: UpstreamProxy
  reader: BackendReader
  probe: ServiceProbe
  /** The controller's running swap; without it a planned switch shows as vLLM down. */
  swapJob?: ReadSwapJob
  /** The ui/ app; the gateway serves a placeholder page without it. */
  dashboard?: Hono<AppEnv>
  /** API keys for the route groups in `API_KEY_GROUPS`; absent: every route is open (the default). */
  auth?: ApiKeyAuth
  /** The settings file (`/api/settings`); absent: the routes are not served (404). */
  settings?: SettingsStore
  /** The dashboard's CSRF tokens and, with a password set, the owner login (routes/login*.ts). */
  login?: DashboardLogin
  /** Key management (`/api/keys`, routes/keys.ts); absent: the routes are not served (404). */
  keys?: KeysAdmin
  /** Rate limits (`RATE_LIMITS`, `RATE_LIMIT_PER_ADDRESS`); absent: nothing is counted (the default). */
  limiter?: RateLimiter
  /** The gateway's audit log (`kit.audit`): its own mutations (settings, keys, logins) go here. */
  audit?: AuditStore
  /** Every service's audit log, merged (`GET /api/audit`); absent, the route is not served. */
  auditView?: AuditSource
  now?: () => Date
}

export interface Gateway {
  app: ServiceApp
  /** For `startService` on Node: proxied requests without web Request/Response (proxy/node-front-door.ts). */
  nodeHandler: NodeHandler
}

/**
 * The gateway: a service app for its own routes (status, discovery, docs, dashboard) whose `fetch`
 * first offers each request to the proxy's front door (proxy/portable-front-door.ts) — the
 * portable path, which Deno runs — and a Node handler that proxies the same requests by the same
 * rules without web objects (proxy/node-front-door.ts).
 */
export function buildGateway(deps: GatewayDeps): Gateway {
  const { config, logger } = deps
  const now = deps.now ?? (() => new Date())
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAME)
  const disabled = config.DISABLED_SERVICES
  const statusOptions = { disabled, simulated: config.SIMULATED_CLUSTER }
  const getStatus = createStatusSource(deps.probe, statusOptions, now, deps.swapJob)
  const readiness = backendReadiness(deps.probe, config)
  const app = createService({
    name: SERVICE_NAME,
    version: PRODUCT_VERSION,
    description: 'The one public entry of Spark Control: routing, discovery, status, docs and the dashboard.',
    logger,
    readiness,
    metrics,
    shutdown: deps.shutdown,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  })
  app.use(csrfGuard)
  if (deps.login) app.use(dashboardGuard(deps.login, deps.auth))
  if (deps.auth) app.use(keyGuard(deps.auth))
  if (deps.limiter) app.use(limitGuard(deps.limiter, deps.auth !== undefined))
  app.route('/', statusRoutes({ getStatus }))
  const timeoutMs = config.STATUS_PROBE_TIMEOUT_MS
  const speechDisabled = () => disabled.includes('speech-proxy')
  app.route('/', modelsRoutes({ getStatus, reader: deps.reader, speechDisabled, timeoutMs, now }))
  const ownDoc = () => app.getOpenAPI31Document({ openapi: '3.1.0', info: DOC_INFO }) as unknown as OpenApiDoc
  app.route('/', docsRoutes({ reader: deps.reader, ownDoc, disabled, timeoutMs }))
  if (deps.auth) app.route('/', unlockRoutes({ auth: deps.auth }))
  if (deps.settings) app.route('/', settingsRoutes({ store: deps.settings }))
  if (deps.auditView) app.route('/', mergedAuditRoutes({ source: deps.auditView, own: deps.audit }))
  if (deps.keys) app.route('/', keysRoutes({ admin: deps.keys }))
  if (deps.login?.passwordHash) app.route('/', loginRoutes(deps.login))
  mountDashboard(app, deps.dashboard)

  // The factory claims `/openapi.json` for the gateway's own routes; the public one is the merged document.
  aliasGet(app, '/openapi.json', MERGED_DOC_PATH)

  const policy = createProxyPolicy(proxyPolicyOptions(deps, metrics))
  // Proxied requests skip Hono's router: the front door takes them before it.
  installFrontDoor(app, createPortableFrontDoor({ proxy: deps.proxy, policy }))
  return { app, nodeHandler: createNodeFrontDoor({ proxy: deps.proxy, policy }) }
}

/** The proxy's budgets per route class (chat, audio, the rest), from the gateway's configuration. */
function proxyPolicyOptions(
  { config, logger, auth, limiter }: GatewayDeps,
  metrics: Metrics,
): ProxyPolicyOptions {
  return {
    limits: {
      audio: config.AUDIO_BODY_LIMIT_BYTES,
      chat: config.BODY_LIMIT_BYTES,
      standard: config.BODY_LIMIT_BYTES,
    },
    timeouts: {
      audio: config.PROXY_AUDIO_TIMEOUT_MS,
      chat: config.PROXY_CHAT_TIMEOUT_MS,
      standard: config.PROXY_TIMEOUT_MS,
    },
    disabled: config.DISABLED_SERVICES,
    metrics,
    logger,
    auth,
    limiter,
  }
}

/** The gateway is ready when it answers; each backend is a dependency it reports on, never critical. */
function backendReadiness(probe: ServiceProbe, config: GatewayAppConfig) {
  return createReadiness({
    service: SERVICE_NAME,
    simulated: config.SIMULATED_CLUSTER,
    timeoutMs: config.STATUS_PROBE_TIMEOUT_MS + 500,
    checks: BACKEND_SERVICES.map((name) => ({
      name,
      critical: false,
      check: async () => serviceDependency((await probe.probeAll()).find((p) => p.name === name)!),
    })),
  })
}

/** The same guard as the front door's, for the routes the gateway answers itself. */
const csrfGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const h = {
    origin: c.req.header('origin') ?? null,
    referer: c.req.header('referer') ?? null,
    host: c.req.header('host') ?? null,
    forwardedHost: c.req.header('x-forwarded-host') ?? null,
    fetchSite: c.req.header('sec-fetch-site') ?? null,
  }
  if (isCrossSiteControlRequest(c.req.method, c.req.path, h)) throw crossSiteRefused()
  await next()
}

/** The key check for the routes the gateway answers itself (the dashboard's actions). */
const keyGuard =
  (auth: ApiKeyAuth): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    // The owner's session stands for the admin scope on the dashboard's own actions, never the API.
    if (c.var.owner && c.req.path.startsWith('/ui/actions/')) return next()
    let actor: string | null
    try {
      actor = auth.check(groupFor(c.req.method, c.req.path, null), {
        authorization: c.req.header('authorization') ?? null,
        apiKey: c.req.header('x-api-key') ?? null,
        cookie: c.req.header('cookie') ?? null,
      })
    } catch (err) {
      const back = refusedFormRedirect(c, err)
      if (back) return back
      throw err
    }
    if (actor !== null) c.set('actor', actor)
    await next()
  }

/** The rate limits for the routes the gateway answers itself; after the key check, which names the caller. */
const limitGuard =
  (limiter: RateLimiter, keysOn: boolean): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!isNeverLimited(c.req.path, null)) {
      const group = groupFor(c.req.method, c.req.path, null) ?? 'default'
      await limiter.take(group, { key: keysOn ? (c.var.actor ?? null) : null, address: clientAddress(c.env) })
    }
    await next()
  }

const DOC_INFO = {
  title: 'Spark Control API',
  version: PRODUCT_VERSION,
  description: 'Every route of Spark Control, served on one address by the gateway.',
}
