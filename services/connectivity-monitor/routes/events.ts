/**
 * `GET /api/monitor/events`: server-sent events. First one `state` event per target (`from` =
 * `to` = its state now), then every `state`, `outage` and `report` as it happens; the event name
 * is the event's `type` and its data the contract's MonitorEvent. Each client has its own bounded
 * queue: one that falls behind is dropped, never slowing the engine. A comment line every 15 s
 * keeps proxies from idling the stream out.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { streamSSE } from 'hono/streaming'
import type { MonitorEvent } from '../../../shared/contracts/connectivity-monitor.ts'
import { AppError } from '../../../shared/errors.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { MonitorEngine } from '../domain/engine/engine.ts'
import { SubscriberQueue } from '../domain/engine/subscriber-queue.ts'
import type { Clock } from '../domain/ports.ts'
import { problem } from './monitor-schemas.ts'

export interface EventRouteDeps {
  engine: MonitorEngine
  clock: Clock
  maxStreams?: number
  heartbeatMs?: number
  /** Events one client may have waiting before it is dropped. */
  queueSize?: number
}

const eventsRoute = createRoute({
  method: 'get',
  path: '/api/monitor/events',
  tags: ['monitor'],
  summary: 'Server-sent events: each target’s `state` first, then live `state`, `outage` and `report` events',
  responses: {
    200: {
      description: 'The current states, then live events',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    503: problem('Too many open streams (Retry-After)'),
  },
})

export function eventRoutes(deps: EventRouteDeps): ServiceApp {
  const { engine, clock } = deps
  const maxStreams = deps.maxStreams ?? 64
  const heartbeatMs = deps.heartbeatMs ?? 15_000
  let open = 0
  const router = createRouter()

  router.openapi(eventsRoute, (c) => {
    if (open >= maxStreams)
      throw new AppError(
        503,
        'too_many_streams',
        `${maxStreams} event streams are open already; try again shortly.`,
        {
          retryAfterS: 10,
        },
      )
    open++
    return streamSSE(c, async (stream) => {
      const queue = new SubscriberQueue<MonitorEvent>(deps.queueSize ?? 256)
      // Subscribed before the snapshot is taken, so nothing falls between the two.
      const unsubscribe = engine.subscribe((e) => queue.push(e))
      const gone = AbortSignal.any([c.req.raw.signal, c.var.shutdown])
      const end = () => queue.close()
      gone.addEventListener('abort', end, { once: true })
      stream.onAbort(end)
      if (gone.aborted) end()
      const send = (e: MonitorEvent) => stream.writeSSE({ event: e.type, data: JSON.stringify(e) })
      try {
        for (const view of engine.views(clock.now())) {
          const { id: target, state, since: at, reason } = view
          if (!stream.aborted) await send({ type: 'state', target, from: state, to: state, at, reason })
        }
        for (;;) {
          const next = await queue.take(heartbeatMs)
          if (next.kind === 'closed') break
          if (next.kind === 'idle') await stream.write(': keep-alive\n\n')
          else await send(next.item)
        }
        if (queue.overflowed) c.var.log.warn('event stream client fell behind; dropped')
      } finally {
        unsubscribe()
        gone.removeEventListener('abort', end)
        open--
      }
    })
  })
  return router
}
