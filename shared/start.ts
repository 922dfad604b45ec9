/**
 * What every service's main.ts does: read and validate the environment, build the logger and the
 * real dependencies, serve the app, and shut down cleanly. A bad configuration stops the process
 * with every bad key named.
 */
import { ConfigError, type EnvSource, processEnv } from './config.ts'
import { createPool } from './http-client.ts'
import { createLogger, type Logger } from './logger.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { type NodeHandler, type RunningServer, serve } from './serve.ts'
import type { ServiceApp } from './service.ts'

export interface ServiceKit {
  logger: Logger
  metrics: Metrics
  lifecycle: AbortController
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
  try {
    config = options.loadConfig(processEnv())
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`${options.name}: ${err.message}`)
      exitProcess(78)
    }
    throw err
  }
  const logger = createLogger({ service: options.name, level: config.LOG_LEVEL })
  const metrics = createMetrics(options.name, { processMetrics: true })
  const lifecycle = new AbortController()
  const { app, onClose, nodeHandler } = await options.build(config, { logger, metrics, lifecycle })
  return serve({
    fetch: app.fetch,
    nodeHandler,
    port: config.PORT,
    hostname: config.HOST,
    logger,
    lifecycle,
    onClose,
    handleSignals: true,
  })
}

/** What the app of a service whose dependencies are HTTP upstreams is built from. */
export interface UpstreamAppDeps<C, U> {
  config: C
  logger: Logger
  metrics: Metrics
  shutdown: AbortSignal
  upstreams: U
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
  upstreams: (config: C, pool: ReturnType<typeof createPool>) => U
  describe: (config: C) => Record<string, unknown>
  buildApp: (deps: UpstreamAppDeps<C, U>) => ServiceApp
}): Promise<RunningServer> {
  return startService({
    name: options.name,
    loadConfig: options.loadConfig,
    build: (config, kit) => {
      const pool = createPool()
      const upstreams = options.upstreams(config, pool)
      kit.logger.info(options.describe(config), 'upstreams')
      const { logger, metrics, lifecycle } = kit
      return {
        app: options.buildApp({ config, logger, metrics, shutdown: lifecycle.signal, upstreams }),
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
