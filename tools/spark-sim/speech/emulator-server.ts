/**
 * The mode, queue and listener mechanics shared by the simulated upstreams (Parakeet, Kokoro,
 * bge-m3). Each emulator only adds its routes; this file decides how the "GPU box" misbehaves:
 *
 * - `ok`     — answers normally (a few work requests at once, the rest queue).
 * - `slow`   — every request, `/health` included, waits `latencyMs` (default 1500) first.
 * - `busy`   — one work request at a time (each holds the GPU for at least `holdMs`); while one is
 *              in flight every GET, `/health` included, answers only after `healthDelayMs` (~3 s):
 *              the real backends run inference on their event loop, so busy is not down.
 * - `wedged` — work routes answer 500 with a CUDA/cuBLAS failure body, `/health` stays 200, which is
 *              exactly the wedge the earlier version turned into 503 + Retry-After.
 * - `down`   — the listening socket is closed (connection refused); any other mode re-listens on
 *              the same port, like a restarted container.
 *
 * In every mode two options bring the real backends' habits: `failRate`, a seeded share of work
 * requests answered with the wedge's 500 (a GB10 throws one now and then and recovers), and
 * `busyHealthDelayMs`, how long a GET waits while a work request runs (their Python servers block
 * the event loop during inference, so `/health` answers late whenever they work).
 *
 * Outside `busy` the GPU's capacity model applies (emulator-capacity.ts): `capacity` work requests
 * at once (default 4), each holding its slot at least `serviceMs`, and `/health` later by
 * `healthMsPerRequest` for each request running or waiting — set by options, `SPARK_SIM_*` or
 * `setCapacity`.
 *
 * Work routes are the POST routes. Every queue is bounded (`queueLimit`, 503 beyond it) and bodies
 * above `bodyLimitBytes` (250 MB) get 413, checked on Content-Length and again while streaming.
 */
import { Buffer } from 'node:buffer'
import { type Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { sleep } from '../../../shared/abort.ts'
import { type Logger, silentLogger } from '../../../shared/logger.ts'
import { seededRandom } from '../../../shared/random.ts'
import { type RunningServer, serve } from '../../../shared/serve.ts'
import { type CapacityOptions, checkedCapacity, resolveCapacity } from './emulator-capacity.ts'
import { createGate, releaseOnEnd } from './emulator-gate.ts'

export type EmulatorMode = 'ok' | 'slow' | 'busy' | 'wedged' | 'down'

export interface ModeOptions {
  /** `slow`: added to every request. */
  latencyMs?: number
  /** `busy`: how long each work request occupies the single GPU slot before it runs. */
  holdMs?: number
  /** `busy`: how long GETs wait while a work request is in flight. */
  healthDelayMs?: number
}

export interface EmulatorOptions extends CapacityOptions {
  host?: string
  /** 0 picks a free port; the port is kept across `down` → `ok`. */
  port?: number
  logger?: Logger
  /** Waiting work requests beyond this get 503 (default 64). */
  queueLimit?: number
  /** Share of work requests (0–1) answered 500 with the wedge body (default 0). */
  failRate?: number
  /** Seed of the draws that pick the failing requests, so a run can be replayed (default 1). */
  failSeed?: number
  /** Outside `busy`: how long GETs wait while a work request is in flight (default 0). */
  busyHealthDelayMs?: number
}

export interface EmulatorHandle {
  url: string
  port: number
  mode(): EmulatorMode
  setMode(mode: EmulatorMode, opts?: ModeOptions): Promise<void>
  /** Share of work requests answered 500 with the wedge body from now on; the draws restart at `seed`. */
  setFailRate(rate: number, seed?: number): void
  /** How long GETs wait while a work request runs (outside `busy`, which has its own delay). */
  setBusyHealthDelay(ms: number): void
  /**
   * The GPU's capacity from now on (outside `busy`): `n` work requests at once, each holding its slot
   * at least `serviceMs` (kept when not given), `/health` later by `healthMsPerRequest` per request.
   */
  setCapacity(n: number, serviceMs?: number, healthMsPerRequest?: number): void
  /** Work requests answered with a drawn failure so far. */
  failures(): number
  /** Requests seen for one path (e.g. `/health`), or for all paths when none is given. */
  requestCount(path?: string): number
  close(): Promise<void>
}

/** A response an emulator wants to send as an error; thrown from handlers. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : `emulator error ${status}`)
  }
}

export interface EmulatorSpec {
  name: string
  /** Builds the body of errors the mode machinery raises, in the upstream's own style. */
  errorBody(status: number, message: string): unknown
  routes(app: Hono, ctx: EmulatorContext): void
}

export interface EmulatorContext {
  log: Logger
  bodyLimitBytes: number
  /** Reads a (JSON) body as text, enforcing the body limit while it streams in. */
  readText(c: Context): Promise<string>
}

export const BODY_LIMIT_BYTES = 250 * 1024 * 1024
const DEFAULT_LATENCY_MS = 1500
const DEFAULT_HOLD_MS = 2000
const DEFAULT_HEALTH_DELAY_MS = 3000
const MAX_COUNTED_PATHS = 256

// The wording real GB10 wedges produce; the speech proxy matches on CUBLAS_STATUS_* / CUDA error.
export const WEDGE_MESSAGE =
  'CUDA error: CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasGemmEx( handle, opa, opb, m, n, k, ' +
  '&falpha, a, CUDA_R_16BF, lda, b, CUDA_R_16BF, ldb, &fbeta, c, CUDA_R_16BF, ldc, CUDA_R_32F, ' +
  'CUBLAS_GEMM_DEFAULT_TENSOR_OP)`'

export async function startEmulator(
  spec: EmulatorSpec,
  options: EmulatorOptions = {},
): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1'
  const log = (options.logger ?? silentLogger()).child({ emulator: spec.name })
  const load = resolveCapacity(spec.name, options)
  const gate = createGate(options.queueLimit ?? 64, load.capacity)
  const counts = new Map<string, number>()
  let mode: EmulatorMode = 'ok'
  let modeOpts: ModeOptions = {}
  let port = options.port ?? 0
  let running: RunningServer | undefined
  let failRate = options.failRate ?? 0
  let draw = seededRandom(options.failSeed ?? 1)
  let failures = 0
  let busyHealthDelayMs = options.busyHealthDelayMs ?? 0

  const fail = (c: Context, status: number, message: string, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) c.header(k, v)
    return c.json(spec.errorBody(status, message) as object, status as ContentfulStatusCode)
  }

  const app = new Hono()
  app.use(async (c, next) => {
    // Bounded: a fuzzer hitting endless unknown paths must not grow the table without limit.
    const key = counts.has(c.req.path) || counts.size < MAX_COUNTED_PATHS ? c.req.path : '(other)'
    counts.set(key, (counts.get(key) ?? 0) + 1)
    // Honest labelling: every answer says it came from the simulator, without changing bodies.
    c.header('X-Spark-Sim', `${spec.name} (simulated)`)
    if (mode === 'slow') await sleep(modeOpts.latencyMs ?? DEFAULT_LATENCY_MS)
    const length = Number(c.req.header('content-length') ?? 0)
    if (length > BODY_LIMIT_BYTES) return fail(c, 413, `Request body exceeds ${BODY_LIMIT_BYTES} bytes`)
    if (c.req.method !== 'POST') {
      if (gate.active > 0) {
        const delay =
          mode === 'busy'
            ? (modeOpts.healthDelayMs ?? DEFAULT_HEALTH_DELAY_MS)
            : busyHealthDelayMs + load.healthMsPerRequest * (gate.active + gate.queued)
        if (delay > 0) await sleep(delay)
      }
      return next()
    }
    if (mode === 'wedged') return fail(c, 500, WEDGE_MESSAGE)
    let release: () => void
    try {
      release = await gate.acquire()
    } catch {
      return fail(c, 503, 'Server busy: request queue is full', { 'Retry-After': '5' })
    }
    const heldFrom = Date.now()
    try {
      if (mode === 'busy') await sleep(modeOpts.holdMs ?? DEFAULT_HOLD_MS)
      // Drawn once the request holds the GPU: the failure happens during inference, not in the queue.
      if (failRate > 0 && draw() < failRate) {
        failures++
        release()
        return fail(c, 500, WEDGE_MESSAGE)
      }
      await next()
      // The slot is held at least the service time, as a GPU batch takes its time however light
      // the emulator's own work is; a refusal (4xx) never reached the GPU and goes at once.
      const left = load.serviceMs - (Date.now() - heldFrom)
      if (mode !== 'busy' && c.res.status < 400 && left > 0) await sleep(left)
    } catch (err) {
      release()
      throw err
    }
    c.res = releaseOnEnd(c.res, release)
  })
  app.notFound((c) => c.json(spec.errorBody(404, 'Not Found') as object, 404))
  app.onError((err, c) => {
    if (err instanceof EmulatorError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
      return c.json(err.body as object, err.status as ContentfulStatusCode)
    }
    log.error({ err }, 'unhandled emulator error')
    return c.json(spec.errorBody(500, 'Internal Server Error') as object, 500)
  })
  const readText = async (c: Context) => {
    const body = c.req.raw.body
    if (!body) return ''
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength
      if (size > BODY_LIMIT_BYTES)
        throw new EmulatorError(413, spec.errorBody(413, `Request body exceeds ${BODY_LIMIT_BYTES} bytes`))
      chunks.push(chunk)
    }
    return Buffer.concat(chunks).toString('utf8')
  }
  spec.routes(app, { log, bodyLimitBytes: BODY_LIMIT_BYTES, readText })

  const listen = async () => {
    running = await serve({
      fetch: app.fetch,
      port,
      hostname: host,
      logger: log,
      lifecycle: new AbortController(),
      graceMs: 0,
    })
    port = running.port
  }
  const unlisten = async () => {
    const r = running
    running = undefined
    gate.rejectAll('emulator went down')
    await r?.close()
  }
  await listen()

  return {
    get url() {
      return `http://${host}:${port}`
    },
    get port() {
      return port
    },
    mode: () => mode,
    async setMode(next, opts = {}) {
      log.info({ from: mode, to: next }, 'mode change')
      modeOpts = opts
      gate.setLimit(next === 'busy' ? 1 : load.capacity)
      if (next === 'down') {
        mode = next
        if (running) await unlisten()
        return
      }
      if (!running) await listen()
      mode = next
    },
    setFailRate(rate, seed = 1) {
      failRate = Math.min(1, Math.max(0, rate))
      draw = seededRandom(seed)
    },
    setBusyHealthDelay(ms) {
      busyHealthDelayMs = Math.max(0, ms)
    },
    setCapacity(n, serviceMs, healthMsPerRequest) {
      load.capacity = checkedCapacity(n)
      if (serviceMs !== undefined) load.serviceMs = Math.max(0, serviceMs)
      if (healthMsPerRequest !== undefined) load.healthMsPerRequest = Math.max(0, healthMsPerRequest)
      if (mode !== 'busy') gate.setLimit(load.capacity)
    },
    failures: () => failures,
    requestCount: (path) =>
      path === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(path) ?? 0),
    async close() {
      await unlisten()
    },
  }
}
