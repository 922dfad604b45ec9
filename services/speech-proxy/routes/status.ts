import { createRoute } from '@hono/zod-openapi'
import type { Same } from '../../../shared/contracts/same.ts'
import {
  type SpeechLaneStatus,
  SpeechStatus,
  type SpeechUpstreamStatus,
} from '../../../shared/contracts/speech-proxy.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { UpstreamStatus } from '../adapters/health.ts'
import type { Admission } from '../domain/admission/admission.ts'
import type { LaneStatus } from '../domain/admission/lanes.ts'
import type { RecentJobs } from '../domain/recent-jobs.ts'

// The domain builds exactly the contract's shapes: a drift fails tsc here.
true satisfies Same<LaneStatus, SpeechLaneStatus>
true satisfies Same<UpstreamStatus, SpeechUpstreamStatus>

export interface StatusRouteDeps {
  admission: Pick<Admission, 'status'>
  upstreams: readonly { status(): UpstreamStatus }[]
  recent: Pick<RecentJobs, 'list'>
  /** Probes the upstreams (readiness, cached briefly) so the states shown are fresh. */
  refresh(): Promise<unknown>
}

const route = createRoute({
  method: 'get',
  path: '/api/speech/status',
  summary: 'Admission lanes (limits, running, queued, projected wait) and each speech upstream’s state',
  description:
    'What the dashboard’s speech page and an operator read: per lane its limit, running and queued ' +
    'requests, the measured service time per work unit and the wait a new request would face; per ' +
    'upstream up, busy (slow health while our requests run), degraded or down, and why; and the latest ' +
    'audio requests (route, audio seconds, outcome, queue and service time), newest first.',
  responses: { 200: jsonContent('Lanes and upstreams', SpeechStatus) },
})

export function statusRoutes(deps: StatusRouteDeps): ServiceApp {
  const app = createRouter()
  app.openapi(route, async (c) => {
    await deps.refresh()
    return c.json(
      {
        checked_at: new Date().toISOString(),
        lanes: deps.admission.status(),
        upstreams: deps.upstreams.map((u) => u.status()),
        recent: deps.recent.list(),
      },
      200,
    )
  })
  return app
}
