/**
 * A stand-in for one `vllm serve` process: a start-up that writes vLLM's log milestones over
 * `loadTimeMs`, an HTTP port that opens only at the "Starting vLLM API server" milestone, optional
 * failures (OOM during load, engine death after ready, a hang), and an exit code like the real one.
 */

import type { Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { sleep } from '../../../shared/abort.ts'
import { buildVllmApp } from './api.ts'
import { Engine, type VllmState } from './engine.ts'
import { engineDeath, noFreeMemory, oomTraceback, shutdownLines, VllmLog } from './log-lines.ts'
import { startupSteps } from './startup.ts'

/**
 * `no-free-memory` is vLLM's start-up check failing because another process holds the unified memory
 * (what a second model in a reused container meets); the cluster simulator picks it by itself.
 */
export type VllmFailure = 'none' | 'oom' | 'engine-death' | 'hang' | 'no-free-memory'

export interface VllmEmulatorOptions {
  /** Where the HTTP port really binds. */
  host: string
  port: number
  model: string
  servedModelName?: string
  loadTimeMs?: number
  failure?: VllmFailure
  /** When the failure strikes: a fraction of `loadTimeMs` into the load (oom, hang) or after ready (engine-death). */
  failAtFraction?: number
  tokensPerSecond?: number
  onLog: (line: string) => void
  /** What the log claims it listens on (vLLM's default `--host` is 0.0.0.0); the port defaults to the bound one. */
  advertisedHost?: string
  advertisedPort?: number
  maxModelLen?: number
  /** The model's architecture as its config.json names it; default Qwen3MoeForCausalLM. */
  architecture?: string
  /** Ray workers (cluster mode): their forwarded lines appear with the `(RayWorkerWrapper …)` prefix. */
  workers?: Array<{ ip: string }>
  weightsGiB?: number
  kvCacheGiB?: number
  maxNumSeqs?: number
  statsIntervalMs?: number
  gpuMemoryUtilization?: number
  nonDefaultArgs?: Record<string, unknown>
  version?: string
  /** For the memory messages (OOM, no-free-memory): what the node has and what the model wants. */
  totalMemoryGiB?: number
  freeMemoryGiB?: number
  requiredMemoryGiB?: number
}

export interface VllmEmulatorHandle {
  /** Resolves at "Application startup complete."; rejects if the process exits first. */
  ready: Promise<void>
  /** The exit code: 0 after a clean stop, 1 after a crash, 137 when killed. */
  exited: Promise<number>
  /** SIGTERM: drain in-flight requests for up to `graceMs` (default 5000), then exit; 137 if it had to kill. */
  stop(graceMs?: number): Promise<void>
  /** SIGKILL: exit 137 at once. */
  kill(): Promise<void>
  /** The engine core dies now (e.g. a Ray worker vanished): 500s, then exit 1. */
  engineDeath(): void
  inFlight(): number
  state(): VllmState
  /** The bound port (the requested one until bound). */
  readonly port: number
  /** `http://host:port` once the port is open, else null. */
  url(): string | null
}

const DEFAULT_FAIL_AT: Record<VllmFailure, number> = {
  none: 1,
  oom: 0.4,
  'engine-death': 0.5,
  hang: 0.5,
  'no-free-memory': 0.04,
}
const BYTES_PER_KV_TOKEN = 98_304

const randomPid = () => 100 + Math.floor(Math.random() * 30_000)

export function startVllmEmulator(opts: VllmEmulatorOptions): VllmEmulatorHandle {
  const loadTimeMs = Math.max(1, opts.loadTimeMs ?? 8000)
  const failure = opts.failure ?? 'none'
  const failAt = Math.min(1, Math.max(0, opts.failAtFraction ?? DEFAULT_FAIL_AT[failure]))
  const served = opts.servedModelName ?? opts.model
  const kvCacheGiB = opts.kvCacheGiB ?? 40
  const kvCacheTokens = Math.floor((kvCacheGiB * 1024 ** 3) / BYTES_PER_KV_TOKEN)
  const maxModelLen = opts.maxModelLen ?? 32_768
  const log = new VllmLog(
    {
      apiPid: randomPid(),
      corePid: randomPid(),
      workers: (opts.workers ?? []).map((w) => ({ ip: w.ip, pid: randomPid() })),
    },
    opts.onLog,
  )
  const engine = new Engine(
    {
      model: opts.model,
      servedModelName: served,
      maxModelLen,
      tokensPerSecond: Math.max(0.1, opts.tokensPerSecond ?? 50),
      maxNumSeqs: opts.maxNumSeqs ?? 16,
      kvCacheTokens,
      gpuMemoryUtilization: opts.gpuMemoryUtilization ?? 0.8,
      version: opts.version ?? '0.12.0',
    },
    log,
  )
  const app = buildVllmApp(engine)
  const life = new AbortController()
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let boundPort = opts.port
  let finished = false
  let stopping: Promise<void> | undefined
  let deathTimer: ReturnType<typeof setTimeout> | undefined
  let hung = false

  let resolveReady!: () => void
  let rejectReady!: (err: Error) => void
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res
    rejectReady = rej
  })
  // Callers that never await `ready` must not see an unhandled rejection when a load fails.
  ready.catch(() => undefined)
  let resolveExited!: (code: number) => void
  const exited = new Promise<number>((res) => {
    resolveExited = res
  })

  const bind = (): Promise<boolean> =>
    new Promise((resolve) => {
      // On Deno the override would swap the global Response for one Deno.serve (the speech and
      // embeddings emulators in this same process) refuses; Node keeps the faster default.
      const s = createAdaptorServer({
        fetch: app.fetch,
        overrideGlobalObjects: !process.versions.deno,
      }) as Server
      s.on('connection', (sock: Socket) => {
        sockets.add(sock)
        sock.on('close', () => sockets.delete(sock))
      })
      s.once('error', (err: NodeJS.ErrnoException) => {
        log.api(
          'ERROR',
          'api_server.py:1950',
          `OSError: [Errno 98] ${err.code === 'EADDRINUSE' ? 'Address already in use' : err.message}`,
        )
        resolve(false)
      })
      s.listen(opts.port, opts.host, () => {
        // Stopped while binding: never leave a listener behind the exited process.
        if (life.signal.aborted) {
          s.close()
          return resolve(false)
        }
        server = s
        boundPort = (s.address() as AddressInfo).port
        resolve(true)
      })
    })

  const closeServer = async () => {
    const s = server
    server = undefined
    if (!s) return
    const closed = new Promise<void>((res) => s.close(() => res()))
    for (const sock of sockets) sock.destroy()
    await closed
  }

  const finish = async (code: number) => {
    if (finished) return
    finished = true
    life.abort()
    if (deathTimer) clearTimeout(deathTimer)
    engine.stopStats()
    engine.kill()
    await closeServer()
    engine.state = 'exited'
    rejectReady(new Error(`vLLM exited with code ${code} before it was ready`))
    resolveExited(code)
  }

  const dieAfterReady = async () => {
    engine.kill()
    engineDeath(log)
    // The API keeps answering (500s) for a moment while the server shuts itself down.
    await sleep(Math.max(200, loadTimeMs * 0.3), { signal: life.signal }).catch(() => undefined)
    if (finished) return
    shutdownLines(log)
    await finish(1)
  }

  const run = async () => {
    const t0 = performance.now()
    const elapsed = () => performance.now() - t0
    const facts = {
      model: opts.model,
      architecture: opts.architecture ?? 'Qwen3MoeForCausalLM',
      servedModelName: served,
      version: engine.config.version,
      maxModelLen,
      tensorParallel: 1 + (opts.workers?.length ?? 0),
      weightsGiB: opts.weightsGiB ?? 16,
      kvCacheGiB,
      kvCacheTokens,
      shards: 2 + (opts.model.length % 7),
      advertisedHost: opts.advertisedHost ?? '0.0.0.0',
      advertisedPort: opts.advertisedPort ?? opts.port,
      nonDefaultArgs: opts.nonDefaultArgs ?? {},
    }
    for (const step of startupSteps(facts)) {
      if ((failure === 'oom' || failure === 'hang' || failure === 'no-free-memory') && step.at > failAt) {
        await sleep(failAt * loadTimeMs - elapsed(), { signal: life.signal })
        if (failure === 'hang') {
          hung = true
          await new Promise<void>((_, reject) =>
            life.signal.addEventListener('abort', () => reject(life.signal.reason), { once: true }),
          )
        }
        const total = opts.totalMemoryGiB ?? 119.7
        if (failure === 'oom') oomTraceback(log, 2.5, total, Math.min(total, opts.freeMemoryGiB ?? 1.21))
        else {
          const util = engine.config.gpuMemoryUtilization
          noFreeMemory(log, opts.freeMemoryGiB ?? 12, total, util, opts.requiredMemoryGiB ?? util * total)
        }
        await finish(1)
        return
      }
      await sleep(step.at * loadTimeMs - elapsed(), { signal: life.signal })
      if (step.kind === 'bind') {
        engine.state = 'starting-api'
        if (!(await bind())) return life.signal.aborted ? undefined : finish(1)
        if (opts.advertisedPort === undefined) facts.advertisedPort = boundPort
      }
      step.write(log, elapsed() / 1000)
      if (step.kind === 'ready') {
        engine.state = 'ready'
        engine.startStats(opts.statsIntervalMs ?? 5000)
        resolveReady()
        if (failure === 'engine-death') {
          deathTimer = setTimeout(() => void dieAfterReady(), failAt * loadTimeMs)
        }
      }
    }
  }
  run().catch(() => undefined)

  const stop = (graceMs = 5000): Promise<void> => {
    if (finished) return exited.then(() => undefined)
    stopping ??= (async () => {
      const wasBound = server !== undefined
      engine.state = 'stopping'
      life.abort()
      if (deathTimer) clearTimeout(deathTimer)
      let code = 0
      if (hung) {
        // A wedged process ignores SIGTERM; only the runtime's SIGKILL after the grace ends it.
        await sleep(graceMs)
        code = 137
      } else {
        const deadline = Date.now() + graceMs
        while (engine.inFlight() > 0 && Date.now() < deadline) await sleep(Math.min(25, graceMs))
        if (engine.inFlight() > 0) code = 137
      }
      if (wasBound && code === 0) shutdownLines(log)
      await finish(code)
    })()
    return stopping
  }

  return {
    ready,
    exited,
    stop,
    kill: () => finish(137),
    engineDeath: () => {
      if (finished || engine.state === 'dead' || engine.state === 'stopping') return
      if (engine.state === 'ready') return void dieAfterReady()
      life.abort()
      engineDeath(log)
      void finish(1)
    },
    inFlight: () => engine.inFlight(),
    state: () => engine.state,
    get port() {
      return boundPort
    },
    url: () =>
      server ? `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${boundPort}` : null,
  }
}
