/**
 * `GET /api/search/jobs/{id}`: the progress of an ingest answered 202. JSON by default; with
 * `Accept: text/event-stream`, a `progress` event with the job now and at each change, then `done`
 * with the finished job — or, when it failed, the one `event: error` of shared/sse.ts. A job of a
 * tenant's collection is found only with that tenant's `X-Tenant`.
 */
import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { IngestJob as Job } from '../../../shared/contracts/vector-search.ts'
import { notFound } from '../../../shared/errors.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import { sseErrorEvent } from '../../../shared/sse.ts'
import { type IngestJobs, isFinished } from '../domain/documents/jobs.ts'
import { tenantFrom } from '../domain/query/caller.ts'
import { IngestJob, jobParam, tenantHeaders } from './documents-schemas.ts'

const jobRoute = createRoute({
  method: 'get',
  path: '/api/search/jobs/{id}',
  tags: ['search'],
  summary: "An ingest job's progress (JSON, or events with Accept: text/event-stream)",
  request: { params: jobParam, headers: tenantHeaders },
  responses: {
    200: {
      ...jsonContent('The job: state, documents and chunks done of total, error when it failed', IngestJob),
      content: {
        'application/json': { schema: IngestJob },
        'text/event-stream': { schema: { type: 'string' } },
      },
    },
    404: { description: 'No such job (or it ended long enough ago to be forgotten)' },
  },
})

export function jobRoutes({ jobs }: { jobs: IngestJobs }): ServiceApp {
  const router = createRouter()
  router.openapi(jobRoute, (c) => {
    const { id } = c.req.valid('param')
    const job = jobs.get(
      id,
      tenantFrom((n) => c.req.header(n)),
    )
    if (!job) throw notFound(`No ingest job ${id}.`)
    if (!/text\/event-stream/i.test(c.req.header('accept') ?? '')) return c.json(job, 200)
    // biome-ignore lint/suspicious/noExplicitAny: an event stream is not the JSON the route's types promise.
    return streamProgress(c, jobs, job) as any
  })
  return router
}

function streamProgress(c: Context<AppEnv>, jobs: IngestJobs, first: Job) {
  return streamSSE(c, async (stream) => {
    let latest = first
    let wake = () => {}
    let gone = false
    const unwatch = jobs.watch(first.id, (job) => {
      latest = job
      wake()
    })
    const leave = () => {
      gone = true
      wake()
    }
    stream.onAbort(leave)
    c.var.shutdown.addEventListener('abort', leave, { once: true })
    try {
      let sent: Job | null = null
      while (!gone) {
        if (latest !== sent) {
          sent = latest
          await stream.writeSSE({ event: 'progress', data: JSON.stringify(sent) })
          if (isFinished(sent)) break
          continue
        }
        await new Promise<void>((resolve) => {
          wake = resolve
          // A change between the write and here would otherwise wait for the next one.
          if (latest !== sent || gone) resolve()
        })
      }
      if (sent?.state === 'done') await stream.writeSSE({ event: 'done', data: JSON.stringify(sent) })
      else if (sent?.state === 'failed' && sent.error)
        await stream.write(sseErrorEvent(sent.error.message, sent.error.status))
    } finally {
      unwatch()
      c.var.shutdown.removeEventListener('abort', leave)
    }
  })
}
