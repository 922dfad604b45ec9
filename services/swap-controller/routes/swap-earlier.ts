/**
 * The rest of the earlier swap API (docs/COMPATIBILITY.md), `{"detail": ...}` errors:
 * - `GET /api/swap/{id}/stream` — SSE: that swap's log lines so far, then live ones, a `status`
 *   event on each transition, and one `done` event with the outcome; then the stream ends.
 * - `POST /api/swap/{key}/validate` — the pre-flight: validity, fit and the exact commands; reads only.
 * The event format was a gap of the earlier contract; ours is recorded in docs/COMPATIBILITY.md.
 * `{id}` matches only a job id (param-patterns.ts), so `/api/swap/telemetry/stream` never reaches it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { AppError, notFound, validationFailed } from '../../../shared/errors.ts'
import { safeName } from '../../../shared/names.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { LogLineEvent, LogTail } from '../adapters/log-tail.ts'
import { parseIsoMs } from '../domain/coordination/time.ts'
import type { SwapEngine } from '../domain/swap/engine.ts'
import { isTerminal } from '../domain/swap/machine.ts'
import type { JobView } from '../domain/swap/view.ts'
import { BoundedQueue } from '../domain/telemetry/bounded-queue.ts'
import { constrained, JOB_ID_PARAM } from './param-patterns.ts'
import { detail, validateSchema } from './swap-schemas.ts'
import { createStreamLimit, type SseEvent } from './telemetry.ts'

export const STREAM_END_MARKER = 'Application startup complete.'

export interface SwapEarlierDeps {
  engine: Pick<SwapEngine, 'job' | 'events' | 'validate'>
  /** The container log tail; without it the stream carries only `status` and `done`. */
  logs?: Pick<LogTail, 'nodes' | 'replay' | 'subscribe'>
  maxStreams?: number
  heartbeatMs?: number
  /** How often the job is re-read in case a state event was missed (default 1 s). */
  pollMs?: number
  /** How long `done` of a ready job waits for a startup line the log tail has not delivered yet (default 2 s). */
  startupGraceMs?: number
  queueSize?: number
}

const streamRoute = createRoute({
  method: 'get',
  path: '/api/swap/{id}/stream',
  tags: ['swap'],
  summary: "Server-sent events: the swap's vLLM log lines (`data:`), `status` on transitions, then `done`",
  request: { params: z.object({ id: z.string().openapi({ example: 'swp_0123456789abcdef' }) }) },
  responses: {
    200: {
      description: 'Log lines as plain `data:` events, `status` and `done` events as JSON; ends after `done`',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    404: detail('No such job'),
    503: detail('Too many open streams (Retry-After)'),
  },
})

const validateRoute = createRoute({
  method: 'post',
  path: '/api/swap/{key}/validate',
  tags: ['swap'],
  summary: 'Pre-flight of a recipe: valid or not (reasons), warnings, fit verdict and the exact commands',
  request: {
    params: z.object({
      key: safeName('a recipe key').openapi({ example: 'qwen3-coder-30b' }),
    }),
    query: z.object({
      mode: z
        .enum(['solo', 'cluster'])
        .optional()
        .openapi({ description: "Default: the recipe's own default mode." }),
    }),
  },
  responses: {
    200: jsonContent('The verdict (nothing was run)', validateSchema),
    404: detail('No such recipe'),
    422: detail('Not a recipe key, or a mode the recipe does not run'),
  },
})

type Queued = SseEvent | 'end'
const statusOf = (j: JobView) => ({
  job_id: j.job_id,
  status: j.status,
  outcome: j.outcome,
  progress: j.progress,
})
/**
 * A `status` event only for a state the job is still running in: an end state (`ready`, `failed`,
 * `cancelled`) is told by `done`, whose outcome agrees with it — never `"status":"ready"` with
 * `"outcome":"running"`. (A `failed` that a rollback follows shows as the `rolling-back` status.)
 */
const statusWorthy = (j: JobView) => j.outcome === 'running' && !isTerminal(j.status)

export function swapEarlierRoutes(deps: SwapEarlierDeps): ServiceApp {
  const { engine, logs } = deps
  const limit = createStreamLimit(deps.maxStreams ?? 32, 'swap log')
  const head = logs?.nodes[0]
  // The head node's lines as they are (the earlier version tailed only it); others carry their node.
  const lineEvent = (e: LogLineEvent): SseEvent => ({
    event: '',
    data: e.node === head ? e.line : `[${e.node}] ${e.line}`,
  })

  function serve(c: Context<AppEnv>, job: JobView): Response {
    const release = limit.acquire()
    return streamSSE(c, async (stream) => {
      const queue = new BoundedQueue<Queued>(deps.queueSize ?? 2000)
      const startMs = parseIsoMs(job.started_at) ?? 0
      let ended = false
      let sawStartup = false
      let pending: { job: JobView; timer: ReturnType<typeof setTimeout> } | null = null
      const end = (j: JobView) => {
        if (ended) return
        ended = true
        if (pending) clearTimeout(pending.timer)
        queue.push({ event: 'done', data: JSON.stringify(j) })
        queue.push('end')
      }
      // The tail may deliver vLLM's startup line a moment after readiness was proven over HTTP.
      const finish = (j: JobView) => {
        if (ended || pending) return
        if (sawStartup || !logs || j.status !== 'ready' || j.outcome === 'rolled_back') return end(j)
        pending = { job: j, timer: setTimeout(() => end(j), deps.startupGraceMs ?? 2000) }
      }
      const forward = (e: LogLineEvent) => {
        queue.push(lineEvent(e))
        if (!e.line.includes(STREAM_END_MARKER)) return
        sawStartup = true
        if (pending) end(pending.job)
      }
      const abort = () => queue.close()
      c.req.raw.signal.addEventListener('abort', abort, { once: true })
      c.var.shutdown.addEventListener('abort', abort, { once: true })
      stream.onAbort(abort)
      if (c.req.raw.signal.aborted || c.var.shutdown.aborted) abort()
      // Replay and subscriptions in one synchronous step: no line falls between them.
      const inWindow = (e: LogLineEvent, endMs: number | null) => {
        const at = Date.parse(e.at)
        return at >= startMs && (endMs === null || at <= endMs)
      }
      const endMs = job.finished_at === null ? null : parseIsoMs(job.finished_at)
      if (statusWorthy(job)) queue.push({ event: 'status', data: JSON.stringify(statusOf(job)) })
      for (const e of logs?.replay() ?? []) if (inWindow(e, endMs)) forward(e)
      const closers: Array<() => void> = []
      if (job.outcome !== 'running') end(job)
      else {
        if (logs) closers.push(logs.subscribe((e) => !ended && inWindow(e, null) && forward(e)))
        const onState = (data: unknown) => {
          const j = data as JobView
          if (ended || j.job_id !== job.job_id) return
          if (statusWorthy(j)) queue.push({ event: 'status', data: JSON.stringify(statusOf(j)) })
          else if (j.outcome !== 'running') finish(j)
        }
        const unsubscribe = engine.events.subscribe((e) => e.type === 'state' && onState(e.data), abort)
        if (unsubscribe) closers.push(unsubscribe)
        // A safety net for a missed event (or a full subscriber set): the job is re-read.
        const timer = setInterval(() => {
          const now = engine.job(job.job_id)
          if (now?.outcome !== 'running') finish(now ?? job)
        }, deps.pollMs ?? 1000)
        closers.push(() => clearInterval(timer))
      }
      try {
        for (;;) {
          const next = await queue.take(deps.heartbeatMs ?? 15_000)
          if (next.kind === 'closed') return
          if (next.kind === 'idle') {
            await stream.write(': keep-alive\n\n')
            continue
          }
          if (next.dropped > 0)
            await stream.writeSSE({ event: 'dropped', data: JSON.stringify({ count: next.dropped }) })
          if (next.item === 'end') return
          const { event, data } = next.item
          await stream.writeSSE(event ? { event, data } : { data })
        }
      } finally {
        for (const close of closers) close()
        if (pending) clearTimeout(pending.timer)
        c.req.raw.signal.removeEventListener('abort', abort)
        c.var.shutdown.removeEventListener('abort', abort)
        release()
      }
    })
  }

  const router = createRouter()
  router.openapi(constrained(router, streamRoute, JOB_ID_PARAM), (c) => {
    const { id } = c.req.valid('param')
    const job = engine.job(id)
    if (!job) throw notFound(`No swap job ${id}.`)
    return serve(c, job)
  })
  router.openapi(validateRoute, async (c) => {
    const { key } = c.req.valid('param')
    const { mode } = c.req.valid('query')
    try {
      return c.json(await engine.validate(key, mode), 200)
    } catch (err) {
      // The engine words a mode the recipe does not run for `POST /api/swap`'s body; here it is `?mode=`.
      if (err instanceof AppError && err.issues?.some((i) => i.field === 'mode'))
        throw validationFailed(err.issues.map((i) => (i.field === 'mode' ? { ...i, location: 'query' } : i)))
      throw err
    }
  })
  return router
}
