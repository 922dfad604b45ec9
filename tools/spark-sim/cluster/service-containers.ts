/**
 * The always-on service containers of a Spark (Parakeet, Kokoro, bge-m3 on spark-2), as
 * `docker run -d --restart unless-stopped` leaves them: not removed when they stop, each one's
 * server an emulator whose socket follows the container. Stop, start, restart, a crash the restart
 * policy answers, and the wedge fault switch live here; docker.ts and docker-lifecycle.ts call them.
 */
import { sleep } from '../../../shared/abort.ts'
import { type ServiceProcess, SimContainer, type SimNode, type SimRestartPolicy } from './node-state.ts'

export interface ServiceContainerSpec {
  name: string
  image: string
  process: ServiceProcess
  port: number
  residentBytes: number
  restartPolicy?: SimRestartPolicy
}

/** How long the server takes to exit on SIGTERM, and to start listening again (scaled down). */
export const SERVICE_STOP_MS = 120
export const SERVICE_START_MS = 80
/** A wedged server's answers take this long (longer than any health timeout in use). */
export const WEDGE_LATENCY_MS = 60_000
/** The daemon's first restart-policy delay (100 ms, doubling on later crashes in real docker). */
const POLICY_RESTART_DELAY_MS = 100

export function addServiceContainer(node: SimNode, spec: ServiceContainerSpec): SimContainer {
  const c = new SimContainer(spec.name, spec.image, 'solo', 'python -m uvicorn app:app', false)
  c.restartPolicy = spec.restartPolicy ?? 'unless-stopped'
  c.service = { process: spec.process, residentBytes: spec.residentBytes, port: spec.port, wedge: 'none' }
  node.containers.set(spec.name, c)
  logStart(c)
  return c
}

function logStart(c: SimContainer): void {
  const port = c.service?.port ?? 8000
  c.log.append('INFO:     Started server process [1]')
  c.log.append('INFO:     Waiting for application startup.')
  c.log.append('INFO:     Application startup complete.')
  c.log.append(`INFO:     Uvicorn running on http://0.0.0.0:${port} (Press CTRL+C to quit)`)
}

/** The server's mode while the container runs: wedged hangs every answer, else normal. */
async function applyRunningMode(c: SimContainer): Promise<void> {
  const link = c.service
  if (!link) return
  if (link.wedge === 'none') await link.process.setMode('ok')
  else await link.process.setMode('slow', { latencyMs: WEDGE_LATENCY_MS })
}

/** `docker stop` (SIGTERM: uvicorn shuts down and exits 0) or `docker kill` (SIGKILL, 137). */
export async function stopService(c: SimContainer, kill: boolean): Promise<void> {
  if (c.status !== 'running' && c.status !== 'restarting') return
  const link = c.service
  if (!kill) {
    c.log.append('INFO:     Shutting down')
    await sleep(SERVICE_STOP_MS)
  }
  await link?.process.setMode('down')
  c.status = 'exited'
  c.exitCode = kill ? 137 : 0
  c.finishedAt = new Date()
}

/** `docker start`: a manual start resets RestartCount, as the daemon does (a fresh restart manager). */
export async function startService(c: SimContainer, opts: { byPolicy?: boolean } = {}): Promise<void> {
  if (c.status === 'running') return
  c.restartCount = opts.byPolicy ? c.restartCount + 1 : 0
  // A `once` wedge is the process's state: a new process starts clean.
  if (c.service?.wedge === 'once') c.service.wedge = 'none'
  await sleep(SERVICE_START_MS)
  await applyRunningMode(c)
  c.status = 'running'
  c.exitCode = 0
  c.startedAt = new Date()
  logStart(c)
}

/** `docker restart -t N`: State.Restarting while it stops, then a manual start. */
export async function restartService(c: SimContainer): Promise<void> {
  if (c.status === 'running') {
    c.status = 'restarting'
    c.finishedAt = new Date()
    await stopService(c, false)
  }
  await startService(c)
}

/** Fault switch: the server hangs (TCP accepted, health never answered) until a restart clears it. */
export async function wedgeService(c: SimContainer, wedge: 'none' | 'once' | 'persistent'): Promise<void> {
  if (!c.service) throw new Error(`${c.name} is not a service container`)
  c.service.wedge = wedge
  if (c.status === 'running') await applyRunningMode(c)
}

/**
 * Fault switch: the server process dies (exit 1). The restart policy brings it back after the
 * daemon's delay and RestartCount goes up, as docker's does for `always`, `unless-stopped` and
 * `on-failure`; with `no` it stays exited.
 */
export async function crashService(c: SimContainer): Promise<void> {
  if (c.status !== 'running') return
  await c.service?.process.setMode('down')
  c.status = 'exited'
  c.exitCode = 1
  c.finishedAt = new Date()
  c.log.append('ERROR:    Application shutdown failed. Exiting.')
  if (c.restartPolicy === 'no') return
  await sleep(POLICY_RESTART_DELAY_MS)
  if (c.status === 'exited') await startService(c, { byPolicy: true })
}

/** Resident memory now: the nominal size with a little wobble, never above the cgroup's cap. */
export function serviceMemoryBytes(c: SimContainer, now = Date.now()): number {
  if (!c.service || c.status !== 'running') return 0
  const wobble = 1 + 0.01 * Math.sin(now / 2300 + c.name.length)
  const used = Math.round(c.service.residentBytes * wobble)
  return c.memoryLimit > 0 ? Math.min(used, Math.round(c.memoryLimit * 0.98)) : used
}

/** CPU share as `docker stats` prints it: a few percent of one core while idle. */
export function serviceCpuPercent(c: SimContainer, now = Date.now()): number {
  if (c.status !== 'running') return 0
  return 0.4 + 0.3 * Math.abs(Math.sin(now / 1700 + c.name.length))
}
