/**
 * `GET /api/swap/logs/recent`: the same newest lines as JSON, for a page that renders them
 * server-side (the dashboard's log tail) instead of holding a stream open.
 *
 * `GET /api/swap/logs`: server-sent events of the vLLM container logs of every node (or one,
 * `?node=`): first the newest `?tail=` lines kept per node, then every new line as it arrives,
 * each a `log` event `{node, line, at}`. Replay and subscription happen in one synchronous step,
 * so no line falls between them and none comes twice.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { LogLineEvent, LogTail } from '../adapters/log-tail.ts'
import { isoUtc } from '../domain/coordination/time.ts'
import { recentLogsSchema } from './coordination-schemas.ts'
import { createStreamLimit, type SseEvent, serveSse } from './telemetry.ts'

export const LOGS_PATHS = ['/api/swap/logs', '/api/swap/logs/recent']

const problem = {
  description: 'Problem details (RFC 9457)',
  content: {
    'application/problem+json': {
      schema: z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() }),
    },
  },
}

export interface LogsRouteDeps {
  logs: LogTail
  maxStreams?: number
  heartbeatMs?: number
}

const toEvent = (e: LogLineEvent): SseEvent => ({
  event: 'log',
  data: JSON.stringify({ node: e.node, line: e.line, at: e.at }),
})

export function logsRoutes(deps: LogsRouteDeps): ServiceApp {
  const { logs } = deps
  const names = [...logs.nodes]
  const limit = createStreamLimit(deps.maxStreams ?? 32, 'log')
  const defaultTail = Math.min(200, logs.replayLines)
  const route = createRoute({
    method: 'get',
    path: LOGS_PATHS[0]!,
    tags: ['swap-controller'],
    summary: 'Server-sent events: the vLLM container log of every node, recent lines first, then live',
    request: {
      query: z.object({
        node: z
          .string()
          .refine((v) => names.includes(v), {
            message: `must be one of the nodes: ${names.join(', ') || 'none configured'}`,
          })
          .optional()
          .openapi({ description: 'Only this node.', example: names[0] }),
        tail: z.coerce
          .number()
          .int()
          .min(0)
          .max(logs.replayLines)
          .optional()
          .openapi({ description: `Lines replayed per node before the live ones (default ${defaultTail}).` }),
      }),
    },
    responses: {
      200: {
        description: '`log` events `{node, line, at}`; `dropped` `{count}` when a slow client missed lines',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      422: { ...problem, description: 'Unknown node or tail out of range' },
      503: { ...problem, description: 'Too many open streams (Retry-After)' },
    },
  })

  const recentRoute = createRoute({
    method: 'get',
    path: LOGS_PATHS[1]!,
    tags: ['swap-controller'],
    summary: 'The newest vLLM container log lines of every node (or one), as JSON',
    request: { query: route.request!.query! },
    responses: {
      200: jsonContent('Oldest first', recentLogsSchema),
      422: { ...problem, description: 'Unknown node or tail out of range' },
    },
  })

  const router = createRouter()
  router.openapi(recentRoute, (c) => {
    const { node, tail = 20 } = c.req.valid('query')
    // Per node first, then the newest `tail` of the merged, time-ordered lines.
    const lines = tail === 0 ? [] : logs.replay({ node, tail }).slice(-tail)
    // The same `+00:00` form as every other JSON route of the controller (history, lock, jobs).
    const at = (e: LogLineEvent) => isoUtc(Date.parse(e.at))
    return c.json({ lines: lines.map((e) => ({ node: e.node, line: e.line, at: at(e) })) }, 200)
  })
  router.openapi(route, (c) => {
    const { node, tail = defaultTail } = c.req.valid('query')
    return serveSse(c, {
      limit,
      heartbeatMs: deps.heartbeatMs,
      open: (push) => {
        const backlog = tail === 0 ? [] : logs.replay({ node, tail })
        const close = logs.subscribe((e) => {
          if (node === undefined || e.node === node) push(toEvent(e))
        })
        return { initial: backlog.map(toEvent), close }
      },
    })
  })
  return router
}
