/**
 * `GET /api/swap/telemetry` (latest readings per node, vLLM metrics, sparkline history) and
 * `GET /api/swap/telemetry/stream` (SSE: a `telemetry` event after every poll). New routes, so
 * errors are problem+json although they sit under the earlier `/api/swap` prefix (shared/errors.ts).
 * Also the SSE plumbing both live streams share (`serveSse`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { AppError } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { TelemetryPoller } from '../adapters/telemetry-poller.ts'
import { BoundedQueue } from '../domain/telemetry/bounded-queue.ts'
import { NODE_SAMPLE_KEYS, toColumns } from '../domain/telemetry/history.ts'
import { type TelemetryEvent, telemetrySchema } from './telemetry-schemas.ts'

export const TELEMETRY_PATHS = ['/api/swap/telemetry', '/api/swap/telemetry/stream']

export interface SseEvent {
  event: string
  data: string
}

/** Caps the open streams of one kind; one more is refused with 503 + Retry-After before streaming. */
export function createStreamLimit(max: number, what: string) {
  let open = 0
  return {
    get open() {
      return open
    },
    acquire(): () => void {
      if (open >= max) {
        throw new AppError(
          503,
          'too_many_streams',
          `${max} ${what} streams are open already; try again shortly.`,
          { retryAfterS: 10 },
        )
      }
      open++
      let released = false
      return () => {
        if (!released) open--
        released = true
      }
    },
  }
}
export type StreamLimit = ReturnType<typeof createStreamLimit>

export interface SseOptions {
  limit: StreamLimit
  heartbeatMs?: number
  /** Events buffered for a slow client; older ones are dropped and a `dropped` event says how many. */
  queueSize?: number
  /** Called once the stream is set up: returns the first events and the unsubscribe function. */
  open(push: (event: SseEvent) => void): { initial: SseEvent[]; close: () => void }
}

/**
 * One listener per shutdown signal however many streams are open (each stream adding its own
 * would trip Node's listener-leak warning at 11 streams).
 */
const shutdownHooks = new WeakMap<AbortSignal, Set<() => void>>()

function onShutdown(signal: AbortSignal, fn: () => void): () => void {
  let hooks = shutdownHooks.get(signal)
  if (!hooks) {
    const set = new Set<() => void>()
    signal.addEventListener(
      'abort',
      () => {
        for (const h of set) h()
      },
      { once: true },
    )
    shutdownHooks.set(signal, set)
    hooks = set
  }
  hooks.add(fn)
  return () => void hooks.delete(fn)
}

/** Streams events until the client goes away or the service shuts down; comment lines keep proxies from idling it out. */
export function serveSse(c: Context<AppEnv>, options: SseOptions): Response {
  const release = options.limit.acquire()
  return streamSSE(c, async (stream) => {
    const queue = new BoundedQueue<SseEvent>(options.queueSize ?? 1000)
    const end = () => queue.close()
    const shutdown = c.var.shutdown
    const unhook = onShutdown(shutdown, end)
    c.req.raw.signal.addEventListener('abort', end, { once: true })
    stream.onAbort(end)
    if (shutdown.aborted || c.req.raw.signal.aborted) end()
    const { initial, close } = options.open((e) => queue.push(e))
    try {
      for (const e of initial) if (!queue.closed) await stream.writeSSE(e)
      await pump(
        queue,
        (e) => stream.writeSSE(e),
        (t) => stream.write(t),
        options.heartbeatMs ?? 15_000,
      )
    } finally {
      close()
      unhook()
      c.req.raw.signal.removeEventListener('abort', end)
      release()
    }
  })
}

async function pump(
  queue: BoundedQueue<SseEvent>,
  send: (e: SseEvent) => Promise<unknown>,
  raw: (text: string) => Promise<unknown>,
  heartbeatMs: number,
) {
  for (;;) {
    const next = await queue.take(heartbeatMs)
    if (next.kind === 'closed') return
    if (next.kind === 'idle') {
      await raw(': keep-alive\n\n')
      continue
    }
    if (next.dropped > 0) await send({ event: 'dropped', data: JSON.stringify({ count: next.dropped }) })
    await send(next.item)
  }
}

const problem = {
  description: 'Problem details (RFC 9457)',
  content: {
    'application/problem+json': {
      schema: z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }),
    },
  },
}

export interface TelemetryRouteDeps {
  telemetry: TelemetryPoller
  simulated: boolean
  maxStreams?: number
  heartbeatMs?: number
}

export function telemetryRoutes(deps: TelemetryRouteDeps): ServiceApp {
  const { telemetry, simulated } = deps
  const limit = createStreamLimit(deps.maxStreams ?? 32, 'telemetry')
  const router = createRouter()
  const getRoute = createRoute({
    method: 'get',
    path: TELEMETRY_PATHS[0]!,
    tags: ['swap-controller'],
    summary: 'Latest GPU, memory, disk and vLLM readings per node, with sparkline history',
    request: {
      query: z.object({
        samples: z.coerce.number().int().min(0).max(telemetry.historySize).optional().openapi({
          description: 'History points per series (newest kept).',
        }),
      }),
    },
    responses: {
      200: jsonContent('The readings', telemetrySchema),
      422: { ...problem, description: 'Invalid query' },
    },
  })
  const streamRoute = createRoute({
    method: 'get',
    path: TELEMETRY_PATHS[1]!,
    tags: ['swap-controller'],
    summary: 'Server-sent events: `telemetry` (the latest readings, no history) after every poll',
    responses: {
      200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
      503: { ...problem, description: 'Too many open streams (Retry-After)' },
    },
  })

  const current = (source: string): TelemetryEvent => ({
    source,
    simulated,
    generated_at: new Date().toISOString(),
    ...telemetry.snapshot(),
  })

  router.openapi(getRoute, (c) => {
    const { samples } = c.req.valid('query')
    const snap = telemetry.snapshot()
    const history = telemetry.history(samples)
    return c.json(
      {
        simulated,
        interval_ms: snap.interval_ms,
        generated_at: new Date().toISOString(),
        nodes: snap.nodes.map((n) => ({
          ...n,
          history: history.nodes[n.node] ?? toColumns([], NODE_SAMPLE_KEYS),
        })),
        vllm: { ...snap.vllm, history: history.vllm },
      },
      200,
    )
  })
  router.openapi(streamRoute, (c) =>
    serveSse(c, {
      limit,
      heartbeatMs: deps.heartbeatMs,
      queueSize: 64,
      open: (push) => ({
        initial: [{ event: 'telemetry', data: JSON.stringify(current('snapshot')) }],
        close: telemetry.subscribe((u) =>
          push({ event: 'telemetry', data: JSON.stringify(current(u.source)) }),
        ),
      }),
    }),
  )
  return router
}
