/**
 * `POST /api/swap/stop` (new, problem+json — the path is in shared/errors.ts's list): drain in-flight
 * chat generations (bounded, as a swap does; new ones get 503 meanwhile), then stop the
 * served model on every node with verified teardown (container gone, port closed, memory settled),
 * the same commands a swap's teardown runs. Needs the swap-lock token while the lock is held (423
 * without it), refuses while a swap runs (409), `dry_run` shows the commands; audited as `swap.stop`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import { MAX_TOKEN_LENGTH, presentedToken } from '../domain/coordination/token.ts'
import type { SwapEngine } from '../domain/swap/engine.ts'
import { problem, stopSchema, swapHeaders } from './swap-schemas.ts'

export const STOP_PATH = '/api/swap/stop'

const stopBody = z
  .object({
    dry_run: z.boolean().optional().openapi({ description: 'The exact commands; touch nothing.' }),
    token: z
      .string()
      .max(MAX_TOKEN_LENGTH)
      .optional()
      .openapi({ description: 'The swap-lock token (the header is preferred).' }),
  })
  .openapi('SwapStopRequest')

const stopRoute = createRoute({
  method: 'post',
  path: STOP_PATH,
  tags: ['swap'],
  summary: 'Stop the served model on every node, with verified teardown (or `dry_run`: the commands)',
  request: {
    headers: swapHeaders,
    body: jsonBody(stopBody, false),
  },
  responses: {
    200: jsonContent('Stopped and verified, or the dry run', stopSchema),
    409: problem('A swap or another stop is in progress (`job_id`)'),
    422: problem('Invalid body'),
    423: problem('The swap lock is held and its token was not given (`lock`)'),
    502: problem('Teardown could not be verified on some node (`nodes`); the container may still run'),
    503: problem('The service began shutting down while draining; nothing was stopped'),
  },
})

export function swapStopRoutes({ engine }: { engine: Pick<SwapEngine, 'stop'> }): ServiceApp {
  const router = createRouter()
  router.openapi(stopRoute, async (c) => {
    const body = c.req.valid('json') ?? {}
    const headers = c.req.valid('header')
    const answer = await engine.stop({
      dryRun: body.dry_run === true,
      token: presentedToken({ header: headers['x-swap-lock-token'], body }),
      actor: actorFrom((n) => c.req.header(n)),
      requestId: c.var.requestId,
    })
    return c.json(answer, 200)
  })
  return router
}
