/**
 * The demo: the simulated cluster plus every Spark Control service pointed at it. Used by
 * `npm run demo`, the system tests and the compatibility suite, so all three run the same thing.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { SERVICES, type ServiceName } from '../shared/topology.ts'
import {
  type SimulatedCluster,
  type SimulatedClusterOptions,
  startSimulatedCluster,
} from './spark-sim/index.ts'
import { launchStack, REPO_ROOT, type Runtime, type Stack } from './stack/launch.ts'

export interface DemoOptions {
  /** Use the default service ports (gateway 9999); tests leave this off and get free ports. */
  defaultPorts?: boolean
  dataDir?: string
  runtime?: Runtime
  loadTimeMs?: number
  preload?: SimulatedClusterOptions['preload']
  /** Address the gateway binds (services always bind loopback). */
  gatewayHost?: string
  env?: Record<string, string>
  echo?: (service: ServiceName, line: string) => void
}

export interface Demo {
  sim: SimulatedCluster
  stack: Stack
  gatewayUrl: string
  /** The data volume every service shares (the internal secret lives there). */
  dataDir: string
  stop(): Promise<void>
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dataDir = resolve(options.dataDir ?? `${REPO_ROOT}.data/demo`)
  await mkdir(dataDir, { recursive: true })
  const sim = await startSimulatedCluster({
    dataDir: `${dataDir}/sim`,
    loadTimeMs: options.loadTimeMs,
    preload: options.preload,
  })
  try {
    const ports = options.defaultPorts
      ? (Object.fromEntries(Object.entries(SERVICES).map(([name, s]) => [name, s.port])) as Record<
          ServiceName,
          number
        >)
      : undefined
    const stack = await launchStack({
      runtime: options.runtime,
      ports,
      env: {
        ...sim.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ...(options.gatewayHost ? { GATEWAY_HOST: options.gatewayHost } : {}),
        ...options.env,
      },
      echo: options.echo,
    })
    return {
      sim,
      stack,
      gatewayUrl: stack.url('gateway'),
      dataDir,
      async stop() {
        await stack.stop()
        await sim.close()
      },
    }
  } catch (err) {
    await sim.close()
    throw err
  }
}
