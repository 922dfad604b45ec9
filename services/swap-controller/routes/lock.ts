/**
 * `POST/GET/DELETE /api/swap/lock`: the earlier API's swap reservation lock (since its v0.25),
 * wire-compatible; our choices for its unknown details are in docs/COMPATIBILITY.md. Errors keep
 * the earlier `{"detail": ...}` bodies, with the current `lock` beside them on 409/403.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import type { Coordination } from '../domain/coordination/service.ts'
import { MAX_TOKEN_LENGTH, presentedToken } from '../domain/coordination/token.ts'
import { grantedLockSchema, lockStateSchema } from './coordination-schemas.ts'

const detailBody = z
  .object({ detail: z.unknown(), lock: lockStateSchema.optional() })
  .openapi('SwapLockError')
const detail = (description: string) => jsonContent(description, detailBody)

const token = z.string().max(MAX_TOKEN_LENGTH)
const tokenHeader = z.object({
  'x-swap-lock-token': token
    .optional()
    .openapi({ description: 'The lock token (preferred over body and query).' }),
  'x-spark-actor': z.string().optional().openapi({ description: 'Who acts, for the audit log.' }),
})
const numeric = z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'must be a number')

const acquireBody = z
  .object({
    holder: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters')
      .openapi({ example: 'nightly-batch' }),
    ttl_seconds: z
      .union([z.number(), numeric])
      .nullable()
      .optional()
      .openapi({ description: 'Default 900; clamped to [1, 86400].', example: 900 }),
    note: z.string().max(500).nullable().optional(),
    token: token.optional().openapi({ description: 'To extend: the token from the acquire answer.' }),
  })
  .openapi('SwapLockRequest')

const releaseBody = z.object({ token: token.optional() }).openapi('SwapLockRelease')

const acquireRoute = createRoute({
  method: 'post',
  path: '/api/swap/lock',
  tags: ['coordination'],
  summary: 'Acquire the swap lock, or extend it (same holder and its token)',
  request: {
    headers: tokenHeader,
    body: jsonBody(acquireBody),
  },
  responses: {
    200: jsonContent(
      'Held by the caller; `token` is returned on acquire and echoed on extend',
      grantedLockSchema,
    ),
    409: detail('Held by another holder, or the same holder without its token; `lock` is the current state'),
    422: detail('Invalid body'),
  },
})

const stateRoute = createRoute({
  method: 'get',
  path: '/api/swap/lock',
  tags: ['coordination'],
  summary: 'Whether the swap lock is held, by whom and until when (never the token)',
  responses: { 200: jsonContent('The lock state', lockStateSchema) },
})

const releaseRoute = createRoute({
  method: 'delete',
  path: '/api/swap/lock',
  tags: ['coordination'],
  summary: 'Release the swap lock with its token, or force-release it (a person, from the dashboard)',
  request: {
    headers: tokenHeader,
    query: z.object({
      token: token
        .optional()
        .openapi({ description: 'The lock token, when a header or body is not possible.' }),
      force: z
        .enum(['true', 'false', '1', '0'])
        .optional()
        .openapi({ description: '`true`: release without the token, for a person (audited).' }),
    }),
    body: jsonBody(releaseBody, false),
  },
  responses: {
    200: jsonContent('Released (or it was not held)', lockStateSchema),
    403: detail('Held, and no token or the wrong token was given; `lock` is the current state'),
    422: detail('Invalid token or flag'),
  },
})

export function lockRoutes({ coordination }: { coordination: Coordination }): ServiceApp {
  const router = createRouter()
  router.openapi(stateRoute, (c) => c.json(coordination.lockState(), 200))
  router.openapi(acquireRoute, (c) => {
    const body = c.req.valid('json')
    const headers = c.req.valid('header')
    const granted = coordination.acquireLock(
      {
        holder: body.holder,
        ttlSeconds:
          body.ttl_seconds === null || body.ttl_seconds === undefined ? undefined : Number(body.ttl_seconds),
        note: body.note,
        token: presentedToken({ header: headers['x-swap-lock-token'], body }),
      },
      { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId },
    )
    return c.json(granted, 200)
  })
  router.openapi(releaseRoute, (c) => {
    const query = c.req.valid('query')
    const headers = c.req.valid('header')
    const released = coordination.releaseLock(
      {
        token: presentedToken({
          header: headers['x-swap-lock-token'],
          body: c.req.valid('json'),
          query: query.token,
        }),
        force: query.force === 'true' || query.force === '1',
      },
      { actor: actorFrom((n) => c.req.header(n)), requestId: c.var.requestId },
    )
    return c.json(released, 200)
  })
  return router
}
