/**
 * What every service's main.ts does: read and validate the environment, build the logger and the
 * real dependencies, serve the app, and shut down cleanly. A bad configuration stops the process
 * with every bad key named.
 */
import { ConfigError, type EnvSource, processEnv } from './config.ts'
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

function exitProcess(code: number): never {
  const deno = (globalThis as { Deno?: { exit(code: number): never } }).Deno
  if (deno) deno.exit(code)
  process.exit(code)
}
