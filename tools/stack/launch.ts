/**
 * Starts Spark Control's services as child processes — the way StartOS and compose run them, one
 * process per service — for the demo and for system tests. Each child gets its own environment;
 * stdout/stderr lines are kept (bounded) for diagnosis and optionally echoed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SERVICES, type ServiceName } from '../../shared/topology.ts'
import { denoTaskArgv } from './deno-tasks.ts'
import { freePort, waitForHealth } from './ports.ts'

export type Runtime = 'node' | 'deno'

export interface StackOptions {
  services?: ServiceName[]
  runtime?: Runtime
  /** Environment given to every service (cluster addresses, SIMULATED_CLUSTER, …). */
  env?: Record<string, string>
  /** Per-service extra environment. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>
  /** Fixed ports (the demo uses the defaults); tests leave this out and get free ports. */
  ports?: Partial<Record<ServiceName, number>>
  host?: string
  echo?: (service: ServiceName, line: string) => void
  healthTimeoutMs?: number
}

export interface RunningService {
  name: ServiceName
  url: string
  port: number
  process: ChildProcess
  output: string[]
}

export interface Stack {
  services: Record<string, RunningService>
  url(name: ServiceName): string
  /** The services' data volume (`DATA_DIR`, resolved): the internal secret is made there. */
  dataDir: string
  /** `INTERNAL_SECRET` when the stack was given one (then no file is made). */
  internalSecret?: string
  stop(): Promise<void>
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAX_OUTPUT_LINES = 2000

function commandFor(runtime: Runtime, name: ServiceName): [string, string[]] {
  if (runtime === 'deno') {
    // The service's deno.json task, so Deno runs it with exactly the permissions the docs give it.
    const [program, ...args] = denoTaskArgv(name)
    return [resolve(REPO_ROOT, program!), args]
  }
  return [process.execPath, [...SERVICES[name].nodeFlags, '--import', 'tsx', `services/${name}/main.ts`]]
}

export async function launchStack(options: StackOptions = {}): Promise<Stack> {
  const names = options.services ?? (Object.keys(SERVICES) as ServiceName[])
  const host = options.host ?? '127.0.0.1'
  const ports: Partial<Record<ServiceName, number>> = {}
  for (const name of Object.keys(SERVICES) as ServiceName[])
    ports[name] = options.ports?.[name] ?? (await freePort(host))
  const urlEnv: Record<string, string> = {}
  for (const name of Object.keys(SERVICES) as ServiceName[])
    urlEnv[SERVICES[name].urlEnv] = `http://${host}:${ports[name]}`

  const services: Record<string, RunningService> = {}
  const stack: Stack = {
    services,
    url: (name) => services[name]?.url ?? urlEnv[SERVICES[name].urlEnv]!,
    dataDir: resolve(REPO_ROOT, options.env?.DATA_DIR ?? process.env.DATA_DIR ?? './.data'),
    internalSecret: options.env?.INTERNAL_SECRET ?? process.env.INTERNAL_SECRET,
    stop: () => stopAll(Object.values(services)),
  }
  try {
    for (const name of names) {
      const port = ports[name]!
      const env = {
        ...process.env,
        ...urlEnv,
        ...options.env,
        ...options.serviceEnv?.[name],
        HOST: name === 'gateway' ? (options.env?.GATEWAY_HOST ?? host) : host,
        PORT: String(port),
      }
      const [cmd, args] = commandFor(options.runtime ?? 'node', name)
      const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      const running: RunningService = {
        name,
        url: `http://${host}:${port}`,
        port,
        process: child,
        output: [],
      }
      collect(running, options.echo)
      services[name] = running
    }
    await Promise.all(
      Object.values(services).map((s) =>
        // Six services compile under tsx at once; with two stacks starting together on two cores
        // (the suite runs system files two at a time) that has taken over 30 s.
        waitForHealth(s.url, options.healthTimeoutMs ?? 90_000, () => s.process.exitCode === null).catch(
          (err: Error) => {
            throw new Error(`${s.name}: ${err.message}\n${s.output.slice(-20).join('\n')}`)
          },
        ),
      ),
    )
  } catch (err) {
    await stack.stop()
    throw err
  }
  return stack
}

function collect(service: RunningService, echo?: (service: ServiceName, line: string) => void) {
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue
      service.output.push(line)
      if (service.output.length > MAX_OUTPUT_LINES) service.output.shift()
      echo?.(service.name, line)
    }
  }
  service.process.stdout?.on('data', onData)
  service.process.stderr?.on('data', onData)
}

/** SIGTERM, then SIGKILL for anything still alive after the 10 s shutdown budget. */
export async function stopAll(services: RunningService[]): Promise<void> {
  await Promise.all(
    services.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.process.exitCode !== null || s.process.signalCode !== null) return resolve()
          const kill = setTimeout(() => s.process.kill('SIGKILL'), 10_000)
          s.process.once('exit', () => {
            clearTimeout(kill)
            resolve()
          })
          s.process.kill('SIGTERM')
        }),
    ),
  )
}
