/**
 * `POST /api/nim/install` (earlier route, `{"detail": ...}` errors): install an NVIDIA NIM on a
 * Spark. The earlier body was never recorded; ours is `{node?, image, name?, port?, env?}`,
 * checked at the boundary, and a real install needs `confirm: true` (`dry_run: true` shows the
 * commands) — docs/COMPATIBILITY.md.
 */
import { createRoute } from '@hono/zod-openapi'
import { NimInstallAnswer, NimInstallRequest } from '../../../shared/contracts/swap-controller.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { NimInstaller } from '../domain/ops/nim-install.ts'
import { detail } from './swap-schemas.ts'

const installRoute = createRoute({
  method: 'post',
  path: '/api/nim/install',
  tags: ['nim'],
  summary: 'Install an NVIDIA NIM container on a Spark (login to nvcr.io, pull, run)',
  request: { body: jsonBody(NimInstallRequest) },
  responses: {
    200: jsonContent('Installed and running (or the dry run: the commands)', NimInstallAnswer),
    404: detail('No such node'),
    409: detail('A swap is using the node, the port or name is taken, or NGC_API_KEY is not set'),
    422: detail('Invalid body'),
    428: detail('Neither `confirm: true` nor `dry_run: true`'),
    502: detail('A docker command failed on the node'),
  },
})

export function nimRoutes({ nim }: { nim: NimInstaller }): ServiceApp {
  const router = createRouter()
  router.openapi(installRoute, async (c) => {
    const answer = await nim.install(
      c.req.valid('json'),
      { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId },
      c.req.raw.signal,
    )
    return c.json(answer, 200)
  })
  return router
}
