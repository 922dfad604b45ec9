/**
 * `DELETE /api/redaction/maps/{handle}`: forgets one redaction map now, before its TTL — its values
 * are gone and a later `/rehydrate` with the handle is 404. Audited as `map.delete` under a short
 * hash of the handle (routes/audit.ts): the handle itself unlocks the map's values, so it is never stored.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { mapUnknown } from '../adapters/map-store-sqlite.ts'
import { storeUnavailable } from '../domain/scrub/errors.ts'

export const MAPS_PATH = '/api/redaction/maps'

const deleteRoute = createRoute({
  method: 'delete',
  path: `${MAPS_PATH}/{handle}`,
  tags: ['redaction'],
  summary: 'Forget one redaction map now (its values are deleted)',
  request: { params: z.object({ handle: z.string().min(1).max(200) }) },
  responses: {
    200: jsonContent('Deleted', z.object({ deleted: z.literal(true) })),
  },
})

export function mapRoutes({ deleteMap }: { deleteMap?: (handle: string) => boolean }): ServiceApp {
  const router = createRouter()
  router.openapi(deleteRoute, (c) => {
    if (!deleteMap) throw storeUnavailable('see /ready for why')
    if (!deleteMap(c.req.valid('param').handle)) throw mapUnknown()
    return c.json({ deleted: true as const }, 200)
  })
  return router
}
