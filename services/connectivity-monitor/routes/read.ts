/**
 * The monitor's read API: every target's state now (`GET /api/monitor/targets`), the outage log
 * (`GET /api/monitor/outages`) and uptime per day, week and month (`GET /api/monitor/uptime`).
 * The state comes from the engine's memory; outages and uptime from the history database, so
 * those two answer 503 while it cannot be read (and `/ready` says why).
 */
import { createRoute } from '@hono/zod-openapi'
import { AppError, badRequest } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { MonitorEngine } from '../domain/engine/engine.ts'
import type { Clock, History } from '../domain/ports.ts'
import {
  badQueryIs400,
  OutagesAnswer,
  OutagesQuery,
  problem,
  TargetsAnswer,
  UptimeAnswer,
  UptimeQuery,
} from './monitor-schemas.ts'

export interface ReadRouteDeps {
  engine: MonitorEngine
  history: History
  clock: Clock
  simulated: boolean
}

const tags = ['monitor']

const targetsRoute = createRoute({
  method: 'get',
  path: '/api/monitor/targets',
  tags,
  summary: 'Every watched target: state, since when and why, each probe layer’s last reading, real traffic',
  responses: { 200: jsonContent('The targets and the monitor’s own figures', TargetsAnswer) },
})

const outagesRoute = createRoute({
  method: 'get',
  path: '/api/monitor/outages',
  tags,
  summary: 'The outage log, newest first: start, end, duration, evidence, the node outage it belongs to',
  request: { query: OutagesQuery },
  responses: {
    200: jsonContent('Outages', OutagesAnswer),
    400: problem('A query parameter the route cannot read'),
    503: problem('The history database cannot be read now'),
  },
})

const uptimeRoute = createRoute({
  method: 'get',
  path: '/api/monitor/uptime',
  tags,
  summary: 'Time in each state over the last day, week and month per target; unknown time is its own figure',
  request: { query: UptimeQuery },
  responses: {
    200: jsonContent('Uptime', UptimeAnswer),
    400: problem('A query parameter the route cannot read'),
    503: problem('The history database cannot be read now'),
  },
})

/** Reads the history; a database that fails is a 503 with the reason, never a 500. */
function fromHistory<T>(read: () => T): T {
  try {
    return read()
  } catch (err) {
    throw new AppError(
      503,
      'history_unavailable',
      `The outage history cannot be read: ${(err as Error).message}`,
      {
        retryAfterS: 30,
      },
    )
  }
}

const asMs = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso))

export function readRoutes({ engine, history, clock, simulated }: ReadRouteDeps): ServiceApp {
  const router = createRouter()
  const queryHook = (result: Parameters<typeof badQueryIs400>[0]) => {
    badQueryIs400(result)
    return undefined
  }

  router.openapi(targetsRoute, (c) => {
    const now = clock.now()
    const stats = engine.stats(now)
    return c.json(
      {
        targets: engine.views(now),
        monitor: {
          started_at: new Date(stats.startedAt).toISOString(),
          probes_per_s: Math.round(stats.probesPerS * 10) / 10,
          probe_budget_per_s: stats.budgetPerS,
          simulated,
        },
      },
      200,
    )
  })

  router.openapi(
    outagesRoute,
    (c) => {
      const query = c.req.valid('query')
      const since = asMs(query.since)
      const until = asMs(query.until)
      if (since !== undefined && until !== undefined && since > until)
        throw badRequest('Bad query: since is after until.')
      const now = clock.now()
      const outages = fromHistory(() =>
        history.outages({ target: query.target, since, until, limit: query.limit, now }),
      )
      return c.json({ outages }, 200)
    },
    queryHook,
  )

  router.openapi(
    uptimeRoute,
    (c) => {
      const { target } = c.req.valid('query')
      const ids = target === undefined ? engine.targets.map((t) => t.id) : [engine.find(target)?.id ?? target]
      return c.json({ targets: fromHistory(() => history.uptime(ids, clock.now())) }, 200)
    },
    queryHook,
  )
  return router
}
