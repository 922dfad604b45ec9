/**
 * What the monitor is told rather than finds out: the earlier `POST /api/health-event` (an app's
 * report on one service; its wire is unchanged, errors `{"detail": ...}`) and `POST
 * /api/monitor/outcomes`, the batches of real request outcomes the proxying services send
 * (shared/outcomes/). Both become passive evidence for the target's classifier.
 */
import { createRoute } from '@hono/zod-openapi'
import { OUTCOMES_PATH } from '../../../shared/contracts/connectivity-monitor.ts'
import { badRequest, payloadTooLarge } from '../../../shared/errors.ts'
import { limitBody } from '../../../shared/http-server/body-limit.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { UPSTREAM_NAMES } from '../../../shared/topology.ts'
import type { MonitorEngine } from '../domain/engine/engine.ts'
import type { Clock, Evidence } from '../domain/ports.ts'
import {
  detail,
  HealthEventAnswer,
  HealthEventRequest,
  OutcomeBatch,
  OutcomeBatchAnswer,
  oversizeBatchIs400,
  problem,
} from './monitor-schemas.ts'

export interface IntakeRouteDeps {
  engine: MonitorEngine
  clock: Clock
}

/**
 * The names the earlier poller always knew. A report on one the monitor does not watch here (Qdrant
 * with the embedded store, an upstream not configured) is taken and dropped, as a report on a
 * service nobody probes: refusing it would break a client that did nothing wrong.
 */
const EARLIER_NAMES = new Set<string>([...UPSTREAM_NAMES, 'spark1', 'spark2'])

/** The recap relay truncated the error text to this; longer text is cut here, not refused. */
export const HEALTH_EVENT_ERROR_CHARS = 280

const healthEvent = createRoute({
  method: 'post',
  path: '/api/health-event',
  tags: ['monitor'],
  summary: 'An app’s report that a service worked or failed for it (the earlier route, unchanged)',
  request: { body: jsonBody(HealthEventRequest) },
  responses: {
    200: jsonContent('Taken in', HealthEventAnswer),
    400: detail('A service the monitor does not know (the message lists the known names)'),
    422: detail('Invalid body; the failing fields are named'),
  },
})

const outcomes = createRoute({
  method: 'post',
  path: OUTCOMES_PATH,
  tags: ['monitor'],
  summary: 'A batch of real request outcomes from a proxying service (passive evidence)',
  request: { body: jsonBody(OutcomeBatch) },
  responses: {
    200: jsonContent(
      'How many were taken in, and the target ids the monitor does not know',
      OutcomeBatchAnswer,
    ),
    400: problem('More outcomes than one batch may hold'),
    413: problem('Body over the size limit'),
    422: problem('Invalid body; the failing fields are named'),
  },
})

/** A full batch of 1000 outcomes is about 150 KB; anything much larger is not a reporting client. */
export const OUTCOMES_BODY_LIMIT_BYTES = 512 * 1024

export function intakeRoutes({ engine, clock }: IntakeRouteDeps): ServiceApp {
  const router = createRouter()
  router.use(
    outcomes.path,
    limitBody({
      maxSize: OUTCOMES_BODY_LIMIT_BYTES,
      onError: () => {
        throw payloadTooLarge(OUTCOMES_BODY_LIMIT_BYTES)
      },
    }),
  )

  router.openapi(healthEvent, (c) => {
    const body = c.req.valid('json')
    const target = engine.find(body.service)
    if (!target && EARLIER_NAMES.has(body.service.toLowerCase())) {
      c.var.log.debug({ service: body.service }, 'health event on a service not watched here; dropped')
      return c.json({ ok: true as const }, 200)
    }
    if (!target)
      throw badRequest(
        `Unknown service ${JSON.stringify(body.service)}; known: ${engine.names().join(', ')}.`,
      )
    const now = clock.now()
    const ms = body.ms ?? 0
    const evidence: Evidence = {
      target: target.id,
      layer: 'passive',
      at: now - ms,
      ok: body.ok,
      ...(body.ok ? {} : { kind: 'other' as const }),
      latencyMs: ms,
      source: body.source ?? 'health-event',
      ...(body.error === undefined ? {} : { detail: body.error.slice(0, HEALTH_EVENT_ERROR_CHARS) }),
    }
    engine.report(evidence)
    return c.json({ ok: true as const }, 200)
  })

  router.openapi(
    outcomes,
    (c) => {
      const batch = c.req.valid('json')
      const unknown = new Set<string>()
      let accepted = 0
      for (const o of batch.outcomes) {
        const taken = engine.intake({
          target: o.target,
          layer: 'passive',
          at: o.at,
          ok: o.ok,
          ...(o.ok ? {} : { kind: o.kind ?? 'other' }),
          latencyMs: o.latency_ms,
          source: batch.source,
          ...(o.status === undefined ? {} : { detail: `HTTP ${o.status}` }),
        })
        if (taken) accepted++
        else unknown.add(o.target)
      }
      if (batch.dropped)
        c.var.log.warn({ source: batch.source, dropped: batch.dropped }, 'reporter dropped outcomes')
      return c.json({ accepted, unknown_targets: [...unknown].sort() }, 200)
    },
    (result) => {
      oversizeBatchIs400(result)
      return undefined
    },
  )
  return router
}
