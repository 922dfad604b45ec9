/**
 * The swap API: the earlier `POST /api/swap` → job and `GET /api/swap/{id}` (`{"detail": ...}`
 * errors), and the new `GET /api/swap/state`, `POST /api/swap/cancel`, `GET /api/swap/events`
 * (problem+json, listed in shared/errors.ts). `{id}` matches only a job id (param-patterns.ts), so
 * `/api/swap/state` and the other literal paths never reach it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { notFound } from '../../../shared/errors.ts'
import { jsonBody } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import { LOCK_TOKEN_HEADER, presentedToken } from '../domain/coordination/token.ts'
import type { SwapEngine } from '../domain/swap/engine.ts'
import { constrained, JOB_ID_PARAM } from './param-patterns.ts'
import {
  detail,
  dryRunSchema,
  jobSchema,
  problem,
  startedSchema,
  stateSchema,
  swapBody,
  swapHeaders,
} from './swap-schemas.ts'
import { createStreamLimit, type SseEvent, serveSse } from './telemetry.ts'

export interface SwapRouteDeps {
  engine: SwapEngine
  /** The swap lock's check (423 without the holder's token): asked before the body is judged. */
  lockGate?: (token: string | undefined) => void
  maxStreams?: number
  heartbeatMs?: number
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema } })

const startRoute = createRoute({
  method: 'post',
  path: '/api/swap',
  tags: ['swap'],
  summary: 'Swap the loaded model to a recipe (or `dry_run`: the exact commands and the fit verdict)',
  request: {
    headers: swapHeaders,
    body: jsonBody(swapBody),
  },
  responses: {
    200: { description: 'The dry run', content: json(dryRunSchema) },
    202: {
      description: 'Started, or joined the same running swap (`coalesced`)',
      content: json(startedSchema),
    },
    404: detail('No such recipe'),
    409: detail('Another swap is running (`job_id`), or the recipe does not fit (`fit`)'),
    422: detail('Invalid body, or an invalid recipe (`reasons`)'),
    423: detail('The swap lock is held and its token was not given (`lock`)'),
  },
})

const stateRoute = createRoute({
  method: 'get',
  path: '/api/swap/state',
  tags: ['swap'],
  summary: 'The running swap (phase, percent, ETA, stalled), else the last one; `idle` when none runs',
  responses: { 200: { description: 'Swap state', content: json(stateSchema) } },
})

const cancelRoute = createRoute({
  method: 'post',
  path: '/api/swap/cancel',
  tags: ['swap'],
  summary: 'Cancel the running swap at whatever stage it is; whatever it started is stopped',
  request: { headers: swapHeaders },
  responses: {
    202: {
      description: 'Cancel requested; watch `/api/swap/state` for `cancelled`',
      content: json(jobSchema),
    },
    409: problem('No swap is running'),
  },
})

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/swap/events',
  tags: ['swap'],
  summary: 'Server-sent events: `state` (a job view) on every transition, `progress` on each new load phase',
  responses: {
    200: {
      description: 'The current state first, then live events',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    503: problem('Too many open streams (Retry-After)'),
  },
})

const jobRoute = createRoute({
  method: 'get',
  path: '/api/swap/{id}',
  tags: ['swap'],
  summary: 'One swap job (the earlier API), running or among the recent finished ones',
  request: { params: z.object({ id: z.string().openapi({ example: 'swp_0123456789abcdef' }) }) },
  responses: { 200: { description: 'The job', content: json(jobSchema) }, 404: detail('No such job') },
})

const asEvent = (type: string, data: unknown): SseEvent => ({ event: type, data: JSON.stringify(data) })

export function swapRoutes(deps: SwapRouteDeps): ServiceApp {
  const { engine } = deps
  const limit = createStreamLimit(deps.maxStreams ?? 32, 'swap event')
  const router = createRouter()
  // The lock comes before the body: a caller without the token hears 423 (locked), not 422.
  const lockFirst = (result: { success: boolean; target: string; data?: unknown }, header?: string) => {
    if (result.success || result.target !== 'json' || !deps.lockGate) return
    const body = result.data
    const dryRun = (body as { dry_run?: unknown } | null)?.dry_run === true
    if (!dryRun) deps.lockGate(presentedToken({ header, body }))
  }
  router.openapi(
    startRoute,
    async (c) => {
      const body = c.req.valid('json')
      const headers = c.req.valid('header')
      const answer = await engine.request({
        recipe: (body.recipe ?? body.model) as string,
        mode: body.mode,
        dryRun: body.dry_run === true,
        token: presentedToken({ header: headers['x-swap-lock-token'], body }),
        actor: actorFrom((n) => c.req.header(n)),
        requestId: c.var.requestId,
      })
      return answer.dry_run ? c.json(answer, 200) : c.json(answer, 202)
    },
    (result, c) => {
      lockFirst(result, c.req.header(LOCK_TOKEN_HEADER))
      return router.defaultHook?.(result, c)
    },
  )
  router.openapi(stateRoute, (c) => {
    const job = engine.state()
    const state = job && job.outcome === 'running' ? job.status : 'idle'
    return c.json({ state, job }, 200)
  })
  router.openapi(cancelRoute, (c) => {
    const job = engine.cancel({ actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId })
    return c.json(job, 202)
  })
  router.openapi(eventsRoute, (c) =>
    serveSse(c, {
      limit,
      heartbeatMs: deps.heartbeatMs,
      open: (push) => {
        const stop = engine.events.subscribe((e) => push(asEvent(e.type, e.data)))
        const job = engine.state()
        const initial = [asEvent('state', job ?? { status: 'idle' })]
        return { initial, close: () => stop?.() }
      },
    }),
  )
  router.openapi(constrained(router, jobRoute, JOB_ID_PARAM), (c) => {
    const { id } = c.req.valid('param')
    const job = engine.job(id)
    if (!job) throw notFound(`No swap job ${id}.`)
    return c.json(job, 200)
  })
  return router
}
