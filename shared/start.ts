/**
 * What every service's main.ts does: read and validate the environment, build the logger and the
 * real dependencies, serve the app, and shut down cleanly. A bad configuration stops the process
 * with every bad key named.
 */
import { join } from 'node:path'
import type { Dispatcher } from 'undici'
import { type AuditStore, openAuditStoreOrStandIn } from './audit/store.ts'
import { ConfigError, type EnvSource, processEnv } from './config.ts'
import { createPool } from './http-client.ts'
import { type ClientTimeouts, clientTimeoutsFrom } from './http-server/slow-clients.ts'
import { requireInternalProof } from './internal-auth/guard.ts'
import { createProofChecker } from './internal-auth/proof.ts'
import { armInternalProof, proveInternal, serviceOrigins } from './internal-auth/prove.ts'
import { InternalSecretError, loadInternalSecret } from './internal-auth/secret.ts'
import { createLogger, type Logger } from './logger.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { type OutcomeOrigins, reportOutcomes } from './outcomes/dispatcher.ts'
import { createOutcomeReporter, noOutcomeReporter, type OutcomeReporter } from './outcomes/reporter.ts'
import { type NodeHandler, type RunningServer, serve } from './serve.ts'
import type { ServiceApp } from './service.ts'
import { followSettings, openSettingsFile, type ServiceSettings } from './settings/follow.ts'
import { loadWithSettings } from './settings/merge.ts'
import { SERVICES } from './topology.ts'

export interface ServiceKit {
  logger: Logger
  metrics: Metrics
  lifecycle: AbortController
  /**
   * Where this process reports its requests to upstreams (shared/outcomes/): the connectivity
   * monitor at `CONNECTIVITY_MONITOR_URL`, or a no-op when that is unset (and in the monitor itself).
   */
  outcomes: OutcomeReporter
  /**
   * The knobs of `<DATA_DIR>/app_settings.json` this service follows without a restart
   * (shared/settings/): their values now, and listeners told when the file changes them.
   */
  settings: ServiceSettings
  /**
   * This service's audit log (shared/audit/): record every mutation here; its `GET /audit` route
   * reads it. A table of its own migration scope in `<DATA_DIR>/<service>.db`.
   */
  audit: AuditStore
}

export interface Built {
  app: ServiceApp
  onClose?: Array<() => unknown>
  /** See `ServeOptions.nodeHandler`: used on Node only. */
  nodeHandler?: NodeHandler
}

export interface StartOptions<C extends { HOST: string; PORT: number; LOG_LEVEL: string }> {
  name: string
  loadConfig: (env: EnvSource) => C
  build: (config: C, kit: ServiceKit) => Promise<Built> | Built
  /**
   * The gateway: the installation's public entrance, which proves the internal secret to the
   * services but does not ask for it (API keys guard it instead).
   */
  publicEntrance?: boolean
  /** How often the event-loop lag metric samples (prom-client's default: 10 ms); see shared/metrics.ts. */
  eventLoopPrecisionMs?: number
}

export async function startService<C extends { HOST: string; PORT: number; LOG_LEVEL: string }>(
  options: StartOptions<C>,
): Promise<RunningServer> {
  let config: C
  let clientTimeouts: ClientTimeouts
  const env = processEnv()
  // The environment first, then the settings file for the keys it leaves unset, then the defaults.
  const file = await openSettingsFile(env)
  const warnings = file.read.problem ? [file.read.problem] : []
  try {
    config = loadWithSettings(options.loadConfig, env, file.read.values, (w) => warnings.push(w))
    clientTimeouts = clientTimeoutsFrom(env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${options.name}: ${err.message}`)
      exitProcess(78)
    }
    throw err
  }
  const secret = await loadInternalSecret(env).catch((err: unknown) => {
    if (!(err instanceof InternalSecretError)) throw err
    console.error(`${options.name}: ${err.message}`)
    return exitProcess(78)
  })
  armInternalProof(secret, serviceOrigins(env))
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL })
  for (const warning of warnings) logger.warn(warning)
  const metrics = createMetrics(options.name, {
    processMetrics: true,
    eventLoopPrecisionMs: options.eventLoopPrecisionMs,
  })
  const lifecycle = new AbortController()
  const outcomes = outcomeReporterFor(options.name, env, logger, metrics)
  const settings = followSettings({ service: options.name, env, ...file, logger })
  const audit = await openAuditStoreOrStandIn(auditPathFor(options.name, config as { DATA_DIR?: unknown }), {
    logger,
  })
  const built = await options.build(config, { logger, metrics, lifecycle, outcomes, settings, audit })
  // Before it serves: only requests proving the internal secret reach a route (internal-auth/).
  if (!options.publicEntrance) requireInternalProof(built.app, createProofChecker(secret))
  return serve({
    fetch: built.app.fetch,
    nodeHandler: built.nodeHandler,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    // Last: the outcomes of requests the other closers end still go out.
    onClose: [() => settings.close(), ...(built.onClose ?? []), () => audit.close(), () => outcomes.close()],
    handleSignals: true,
    clientTimeouts,
  })
}

/** `DATA_DIR` is read the same way as every service's config (shared/config.ts `baseConfig`). */
function auditPathFor(name: string, config: { DATA_DIR?: unknown }): string {
  const dir = typeof config.DATA_DIR === 'string' && config.DATA_DIR.trim() ? config.DATA_DIR : './.data'
  return join(dir, `${name}.db`)
}

function outcomeReporterFor(name: string, env: EnvSource, logger: Logger, metrics: Metrics): OutcomeReporter {
  const url = env[SERVICES['connectivity-monitor'].urlEnv]?.trim()
  if (name === 'connectivity-monitor' || !url) return noOutcomeReporter()
  if (!URL.canParse(url)) {
    console.error(`${name}: CONNECTIVITY_MONITOR_URL: not a URL`)
    exitProcess(78)
  }
  return createOutcomeReporter({
    url,
    source: name,
    logger: logger.child({ component: 'outcomes' }),
    registry: metrics.registry,
  })
}

/** What the app of a service whose dependencies are HTTP upstreams is built from. */
export interface UpstreamAppDeps<C, U> {
  config: C
  logger: Logger
  metrics: Metrics
  shutdown: AbortSignal
  upstreams: U
  outcomes: OutcomeReporter
  settings: ServiceSettings
  audit: AuditStore
}

/**
 * The main.ts of a service that talks to HTTP upstreams: one undici pool for all of them (closed
 * at exit), and one log line saying where each upstream is (never a secret: `describe` decides).
 */
export function startUpstreamService<
  C extends { HOST: string; PORT: number; LOG_LEVEL: string },
  U,
>(options: {
  name: string
  loadConfig: (env: EnvSource) => C
  upstreams: (config: C, pool: Dispatcher) => U
  /**
   * The upstreams whose requests through the pool are reported to the connectivity monitor
   * (`originsOf({parakeet: config.PARAKEET_URL, …})`); health checks are left out by the reporter.
   */
  reported?: (config: C) => OutcomeOrigins
  describe: (config: C) => Record<string, unknown>
  buildApp: (deps: UpstreamAppDeps<C, U>) => ServiceApp
}): Promise<RunningServer> {
  return startService({
    name: options.name,
    loadConfig: options.loadConfig,
    build: (config, kit) => {
      const pool = proveInternal(createPool())
      const { logger, metrics, lifecycle, outcomes, settings, audit } = kit
      const origins = options.reported?.(config) ?? {}
      const upstreams = options.upstreams(config, reportOutcomes(pool, outcomes, origins))
      logger.info(options.describe(config), 'upstreams')
      return {
        app: options.buildApp({
          config,
          logger,
          metrics,
          shutdown: lifecycle.signal,
          upstreams,
          outcomes,
          settings,
          audit,
        }),
        onClose: [() => pool.close()],
      }
    },
  })
}

function exitProcess(code: number): never {
  const deno = (globalThis as { Deno?: { exit(code: number): never } }).Deno
  if (deno) deno.exit(code)
  process.exit(code)
}
