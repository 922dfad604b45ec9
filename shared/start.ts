/**
 * What every service's main.ts does: read and validate the environment, build the logger and the
 * real dependencies, serve the app, and shut down cleanly. A bad configuration stops the process
 * with every bad key named.
 */
import type { Dispatcher } from 'undici'
import { ConfigError, type EnvSource, processEnv } from './config.ts'
import { createPool } from './http-client.ts'
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
}

export async function startService<C extends { HOST: string; PORT: number; LOG_LEVEL: string }>(
  options: StartOptions<C>,
): Promise<RunningServer> {
  let config: C
  const env = processEnv()
  // The environment first, then the settings file for the keys it leaves unset, then the defaults.
  const file = await openSettingsFile(env)
  const warnings = file.read.problem ? [file.read.problem] : []
  try {
    config = loadWithSettings(options.loadConfig, env, file.read.values, (w) => warnings.push(w))
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${options.name}: ${err.message}`)
      exitProcess(78)
    }
    throw err
  }
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL })
  for (const warning of warnings) logger.warn(warning)
  const metrics = createMetrics(options.name, { processMetrics: true })
  const lifecycle = new AbortController()
  const outcomes = outcomeReporterFor(options.name, env, logger, metrics)
  const settings = followSettings({ service: options.name, env, ...file, logger })
  const built = await options.build(config, { logger, metrics, lifecycle, outcomes, settings })
  return serve({
    fetch: built.app.fetch,
    nodeHandler: built.nodeHandler,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    // Last: the outcomes of requests the other closers end still go out.
    onClose: [() => settings.close(), ...(built.onClose ?? []), () => outcomes.close()],
    handleSignals: true,
  })
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
      const pool = createPool()
      const { logger, metrics, lifecycle, outcomes, settings } = kit
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
