/**
 * `GET/POST /api/keys`, `DELETE /api/keys/{name}`: API key management (docs/SECURITY.md). Every
 * method is in the `admin` key group (domain/route-groups.ts) and behind the same-origin guard.
 * While `admin` needs no key, these routes are as open as every other control route — which is
 * how the first key is made before `API_KEY_GROUPS=admin` is switched on (or with
 * `tools/api-keys.ts` in a shell).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { keyCreateBody, keyCreated, keyList } from '../../../shared/contracts/keys.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { KeysAdmin } from '../adapters/keys-admin.ts'

export const KEYS_PATH = '/api/keys'

const listRoute = createRoute({
  method: 'get',
  path: KEYS_PATH,
  tags: ['gateway'],
  summary: 'The API keys: name, scopes, created, last used, request count (never a key or its digest)',
  responses: { 200: jsonContent('Every key in the key file', keyList) },
})

const createKeyRoute = createRoute({
  method: 'post',
  path: KEYS_PATH,
  tags: ['gateway'],
  summary: 'Create an API key; the answer is the only time the key is shown',
  request: { body: jsonBody(keyCreateBody) },
  responses: {
    201: jsonContent('Created: the key (shown once) and its record', keyCreated),
    409: { description: 'A key of that name exists' },
  },
})

const revokeRoute = createRoute({
  method: 'delete',
  path: `${KEYS_PATH}/{name}`,
  tags: ['gateway'],
  summary: 'Revoke an API key (the gateway refuses it within its key file re-read, about 2 s)',
  request: { params: z.object({ name: z.string().max(256) }) },
  responses: { 204: { description: 'Revoked' }, 404: { description: 'No key of that name' } },
})

export function keysRoutes({ admin }: { admin: KeysAdmin }): ServiceApp {
  const router = createRouter()
  router.openapi(listRoute, async (c) => c.json({ keys: await admin.list() }, 200))
  router.openapi(createKeyRoute, async (c) => {
    const { name, scopes } = c.req.valid('json')
    return c.json(await admin.create(name, scopes, c.var.actor ?? 'api'), 201)
  })
  router.openapi(revokeRoute, async (c) => {
    await admin.revoke(c.req.valid('param').name, c.var.actor ?? 'api')
    return c.body(null, 204)
  })
  return router
}
