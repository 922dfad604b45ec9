/**
 * The connectivity monitor as a real child process, for the outage-injection tests and the
 * benchmark: started by the stack launcher with its targets pointed at fault servers, a temporary
 * DATA_DIR, and a watch on its SSE stream that keeps every event with the time it arrived.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  MonitorEvent,
  type Outage,
  OutagesAnswer,
  TargetsAnswer,
  type TargetView,
} from '../../shared/contracts/connectivity-monitor.ts'
import { SERVICE_NAMES, SERVICES } from '../../shared/topology.ts'
import { launchStack, type Stack } from '../../tools/stack/launch.ts'
import { armForStack, internalProver, type ProveFn, provenFetch } from './internal-proof.ts'

/** Wall-clock milliseconds with sub-millisecond resolution (the monitor's times are wall clock too). */
export const nowMs = () => performance.timeOrigin + performance.now()

/** An extra target, in the shape `MONITOR_TARGETS` takes. */
export interface ExtraTarget {
  id: string
  title?: string
  /** `host:port` for the TCP layer. */
  tcp?: string
  /** The health URL for the HTTP layer. */
  http?: string
  host?: string
}

/** `MONITOR_TARGETS` for fault servers: TCP on the port, HTTP on `/health`. */
export function extraTargets(targets: Array<{ id: string; url: string }>): ExtraTarget[] {
  return targets.map(({ id, url }) => ({ id, tcp: new URL(url).host, http: `${url}/health` }))
}

/**
 * Points every other Spark Control service's URL at `url` (one healthy fault server), so the
 * service targets the monitor always watches are quietly up instead of refusing and drawing fast
 * probes from the budget the test is about.
 */
export function servicesAt(url: string): Record<string, string> {
  return Object.fromEntries(
    SERVICE_NAMES.filter((n) => n !== 'connectivity-monitor').map((n) => [SERVICES[n].urlEnv, url]),
  )
}

export interface ReceivedEvent {
  event: MonitorEvent
  /** When it arrived here (wall clock, ms). */
  receivedAt: number
}

export interface EventWatch {
  readonly events: ReceivedEvent[]
  /** Resolves with the first event (already seen or still to come) `pick` accepts. */
  next(pick: (e: MonitorEvent) => boolean, timeoutMs: number, what: string): Promise<ReceivedEvent>
  close(): void
}

/** Opens `GET /api/monitor/events` and keeps every message that parses as a `MonitorEvent`. */
export async function watchMonitorEvents(monitorUrl: string, prove: ProveFn): Promise<EventWatch> {
  const abort = new AbortController()
  const events: ReceivedEvent[] = []
  const waiters = new Set<() => void>()
  const res = await provenFetch(prove)(`${monitorUrl}/api/monitor/events`, { signal: abort.signal })
  if (!res.ok || !res.body) throw new Error(`GET /api/monitor/events: ${res.status}`)
  const onBlock = (block: string, receivedAt: number) => {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
    if (data.length === 0) return
    const parsed = MonitorEvent.safeParse(JSON.parse(data.join('\n')))
    if (!parsed.success) return
    events.push({ event: parsed.data, receivedAt })
    for (const w of waiters) w()
  }
  const body = res.body
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        const at = nowMs()
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
          onBlock(buffer.slice(0, end), at)
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '')
        }
      }
    } catch {
      // Aborted by close(), or the monitor went away: the events so far stay readable.
    }
  })()
  return {
    events,
    next: (pick, timeoutMs, what) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => pick(e.event))
          if (!found) return
          done()
          resolve(found)
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`${what}: not seen within ${timeoutMs} ms`))
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      }),
    close: () => abort.abort(),
  }
}

export interface RunningMonitor {
  url: string
  pid: number
  dataDir: string
  stack: Stack
  /** The internal proof for a request straight to the monitor (tests/support/internal-proof.ts). */
  prove: ProveFn
  targets(): Promise<TargetView[]>
  target(id: string): Promise<TargetView | undefined>
  outages(target?: string): Promise<Outage[]>
  /** The monitor's last lines of output, for a failure message. */
  output(): string
  stop(): Promise<void>
}

export interface MonitorOptions {
  extra?: ExtraTarget[]
  env?: Record<string, string>
  echo?: boolean
}

/** Starts the connectivity monitor alone with a fresh DATA_DIR (removed on stop). */
export async function startMonitor(options: MonitorOptions = {}): Promise<RunningMonitor> {
  const dataDir = await mkdtemp(join(tmpdir(), 'monitor-faults-'))
  const stack = await launchStack({
    services: ['connectivity-monitor'],
    env: {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      VECTOR_STORE: 'embedded',
      ...(options.extra ? { MONITOR_TARGETS: JSON.stringify(options.extra) } : {}),
      ...options.env,
    },
    echo: options.echo ? (name, line) => console.log(`[${name}] ${line}`) : undefined,
  }).catch(async (err) => {
    await rm(dataDir, { recursive: true, force: true })
    throw err
  })
  const running = stack.services['connectivity-monitor']!
  const url = running.url
  const prove = internalProver(stack)
  // Outcome reporters made in this process (fault-traffic.ts) prove the secret, as a service's do.
  armForStack(stack)
  const getJson = async (path: string) => {
    const res = await provenFetch(prove)(`${url}${path}`, { signal: AbortSignal.timeout(5000) })
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  return {
    url,
    pid: running.process.pid!,
    dataDir,
    stack,
    prove,
    targets: async () => TargetsAnswer.parse(await getJson('/api/monitor/targets')).targets,
    target: async (id) =>
      TargetsAnswer.parse(await getJson('/api/monitor/targets')).targets.find((t) => t.id === id),
    outages: async (target) => {
      const query = `?limit=1000${target ? `&target=${encodeURIComponent(target)}` : ''}`
      const { outages } = OutagesAnswer.parse(await getJson(`/api/monitor/outages${query}`))
      return target ? outages.filter((o) => o.target === target) : outages
    },
    output: () => running.output.slice(-30).join('\n'),
    async stop() {
      await stack.stop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
