/**
 * Path parameters that match only what they name. Hono tries routes in the order they were
 * registered, so a plain `GET /api/swap/{id}` registered first would answer `/api/swap/state` as a
 * job called "state" — and make `Allow` offer `GET` on `/api/swap/stop`. A route passed through
 * `constrained` reaches Hono as `/api/swap/:id{swp_[0-9a-f]{16}}`: `{id}` matches a swap job id and
 * nothing else, so every literal sibling (`/api/swap/stop`, `/lock`, `/history`, `/logs`,
 * `/telemetry/stream`, …) reaches its own handler whatever the registration order. The OpenAPI
 * document keeps the plain `{id}`.
 */
import type { RouteConfig } from '@hono/zod-openapi'
import type { ServiceApp } from '../../../shared/service.ts'
import { JOB_ID } from './swap-schemas.ts'

/** A swap job id as the state machine makes it (`swp_` + 16 hex), as a path-segment pattern. */
export const JOB_ID_PARAM = { id: JOB_ID.source.replace(/^\^|\$$/g, '') }

/** `/api/swap/{id}/stream` with `{ id: 'p' }` → `/api/swap/:id{p}/stream`; other `{params}` stay. */
export const withPatterns = (path: string, patterns: Readonly<Record<string, string>>): string =>
  path.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const pattern = patterns[name]
    return pattern === undefined ? whole : `:${name}{${pattern}}`
  })

/**
 * Puts `route` in `router`'s OpenAPI document as written, and returns it for `router.openapi` with
 * its parameters narrowed to `patterns` (and kept out of the document a second time).
 */
export function constrained<R extends RouteConfig>(
  router: ServiceApp,
  route: R,
  patterns: Readonly<Record<string, string>>,
): R {
  router.openAPIRegistry.registerPath(route)
  return { ...route, path: withPatterns(route.path, patterns), hide: true }
}
