/**
 * The versioned container patches (new, problem+json): `GET /api/ops/patches` runs every patch's
 * check on its service's node and says `applied`, `missing` or `unknown` (the node did not answer)
 * with the reason, and lists the patch files that did not load; `POST /api/ops/patches/apply`
 * applies the missing ones (or `ids`) and reports each step — `dry_run` first, `confirm: true` to
 * change anything (428 otherwise), 409 while a swap runs on a patch's node, audited as
 * `ops.patch.apply`. Every status and result carries a one-line `summary` for a person or a log
 * (what the StartOS "re-apply patches" action shows).
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  PatchApplyAnswer,
  PatchApplyRequest,
  PatchesAnswer,
} from '../../../shared/contracts/swap-controller.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { PatchOps } from '../domain/ops/patches/service.ts'
import { problem } from './swap-schemas.ts'

export const PATCHES_PATH = '/api/ops/patches'

const actorHeader = z.object({
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})

const listRoute = createRoute({
  method: 'get',
  path: PATCHES_PATH,
  tags: ['ops'],
  summary: 'Which patches are applied on which service (each check run now)',
  responses: {
    200: jsonContent('Every patch on every service it targets, the files that did not load', PatchesAnswer),
    503: problem('The patch directory cannot be read (PATCHES_DIR)'),
  },
})

const applyRoute = createRoute({
  method: 'post',
  path: `${PATCHES_PATH}/apply`,
  tags: ['ops'],
  summary: 'Apply the missing patches (or `ids`): check, apply, check again — `dry_run` shows the commands',
  request: { headers: actorHeader, body: jsonBody(PatchApplyRequest, false) },
  responses: {
    200: jsonContent(
      'Each patch on each service with its steps; `ok` when every one is applied',
      PatchApplyAnswer,
    ),
    409: problem('A swap is running on a patch’s node (`nodes`), or patches are being applied already'),
    422: problem('Invalid body, or an id that is not a loaded patch'),
    428: problem('Neither `confirm: true` nor `dry_run: true`: nothing was done'),
    503: problem('The patch directory cannot be read (PATCHES_DIR)'),
  },
})

export interface OpsPatchesRouteDeps {
  patches: PatchOps
  simulated: boolean
}

export function opsPatchesRoutes({ patches, simulated }: OpsPatchesRouteDeps): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, async (c) => {
    const status = await patches.status(c.req.raw.signal)
    return c.json({ simulated, ...status }, 200)
  })
  router.openapi(applyRoute, async (c) => {
    const body = c.req.valid('json') ?? {}
    // Not the request's signal: a client that leaves mid-apply must not cut a patch in half; each
    // command has its own budget, and every patch's outcome is audited.
    const answer = await patches.apply({
      ids: body.ids,
      dryRun: body.dry_run === true,
      confirm: body.confirm === true,
      actor: actorFrom((n) => c.req.header(n)),
      requestId: c.var.requestId,
    })
    return c.json(answer, 200)
  })
  return router
}
