/**
 * The concurrency sweep's admin API (new, problem+json): `POST /api/ops/sweeps` starts one in the
 * background (202 with the result `running`; 428 without `confirm` or `dry_run`, and against a live
 * cluster without `confirm_live`; 409 while another runs), `GET /api/ops/sweeps` lists the saved
 * ones newest first, `GET /api/ops/sweeps/{id}` shows one as it progresses. Audited as `ops.sweep`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { SweepList, SweepRequest, SweepResult } from '../../../shared/contracts/swap-controller.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { SweepService } from '../domain/ops/sweep/service.ts'
import { problem } from './swap-schemas.ts'

export const SWEEPS_PATH = '/api/ops/sweeps'

const actorHeader = z.object({
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

const startRoute = createRoute({
  method: 'post',
  path: SWEEPS_PATH,
  tags: ['ops'],
  summary: 'Start a concurrency sweep against a speech or embeddings backend (it loads the GPU)',
  request: { headers: actorHeader, body: jsonBody(SweepRequest) },
  responses: {
    200: jsonContent('The dry run: the plan in `reason`; nothing sent', SweepResult),
    202: jsonContent('Started; poll `GET /api/ops/sweeps/{id}`', SweepResult),
    409: problem('A sweep is already running (`sweep_id`)'),
    422: problem('Invalid body'),
    428: problem('Neither `confirm` nor `dry_run`, or a live cluster without `confirm_live`'),
    503: problem('That backend is not configured'),
  },
})

const listRoute = createRoute({
  method: 'get',
  path: SWEEPS_PATH,
  tags: ['ops'],
  summary: 'Saved sweeps, newest first (the last 50)',
  responses: { 200: jsonContent('Saved sweeps', SweepList) },
})

const getRoute = createRoute({
  method: 'get',
  path: `${SWEEPS_PATH}/{id}`,
  tags: ['ops'],
  summary: 'One sweep, with the levels measured so far while it runs',
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: {
    200: jsonContent('The sweep', SweepResult),
    404: problem('No such sweep'),
  },
})

export function opsSweepRoutes({ sweeps }: { sweeps: SweepService }): ServiceApp {
  const router = createRouter()
  router.openapi(startRoute, (c) => {
    const body = c.req.valid('json')
    const result = sweeps.start(body, {
      actor: actorFrom((n) => c.req.header(n)),
      requestId: c.var.requestId,
    })
    return result.dry_run ? c.json(result, 200) : c.json(result, 202)
  })
  router.openapi(listRoute, (c) => c.json({ sweeps: sweeps.list() }, 200))
  router.openapi(getRoute, (c) => c.json(sweeps.get(c.req.valid('param').id), 200))
  return router
}
