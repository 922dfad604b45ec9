/**
 * How the redaction routes read a body: the earlier gateway answered a body it could not use with
 * 400 `{"error": "bad_request", ...}` (malformed JSON and failed validation alike), where the rest of
 * the service answers 422 the FastAPI way; so these routes check the JSON themselves.
 */
import { type Hook, OpenAPIHono } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import { AppError, badRequest, describeIssues, type FieldIssue } from '../../../shared/errors.ts'
import type { AppEnv, ServiceApp } from '../../../shared/service.ts'

/**
 * Reads the body once and answers 400 when it is not JSON. Any content type is read as JSON (the
 * CRM posts JSON, whatever its client labels it); the text stays in Hono's body cache, where the
 * validator reads it back under the JSON type.
 */
const requireJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const text = await c.req.text()
  try {
    JSON.parse(text)
  } catch {
    throw badRequest('The body is not valid JSON.', {
      issues: [{ field: '', location: 'body', message: 'JSON decode error' }],
    })
  }
  const headers = new Headers(c.req.raw.headers)
  headers.set('content-type', 'application/json')
  headers.delete('content-length')
  c.req.raw = new Request(c.req.raw.url, {
    method: c.req.method,
    headers,
    body: text,
    signal: c.req.raw.signal,
  })
  return next()
}

const badRequestHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
    location: 'body',
  }))
  throw badRequest(describeIssues(issues), { issues })
}

/** A router for a redaction route group: failed validation is a 400 `bad_request`, not a 422. */
export function createRedactionRouter(path: '/scrub' | '/rehydrate'): ServiceApp {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: badRequestHook })
  // Scoped to the path: a router's `use('*')` would run for every route of the app it is mounted in.
  app.post(path, requireJsonBody)
  // Another method on the path is a 405 naming POST, never a 404 that reads as a wrong URL.
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], path, (c) => {
    throw new AppError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${path}; use POST.`, {
      headers: { Allow: 'POST' },
    })
  })
  return app
}
