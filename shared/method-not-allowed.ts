/**
 * 405 for a known path asked with a method it does not have (`PUT /api/swap`), with `Allow`
 * listing the ones it has, in the path's error style; a path no route has stays 404. Mounted
 * last, as a catch-all: a route that matches answers first, so this runs only when none did.
 */
import type { MiddlewareHandler } from 'hono'
import { AppError } from './errors.ts'
import type { AppEnv, ServiceApp } from './service.ts'

const segments = (path: string) => path.split('/').filter(Boolean)

/** `:name` or `:name{pattern}` (a parameter Hono matches only when the whole segment fits the pattern). */
const PARAM = /^:\w+(?:\{(.+)\})?$/

function segmentMatches(part: string, seg: string): boolean {
  const param = PARAM.exec(part)
  if (!param) return part === seg
  return param[1] === undefined || new RegExp(`^(?:${param[1]})$`).test(seg)
}

/**
 * Hono's route pattern (`/api/swap/:id/stream`, `/api/swap/:id{swp_[0-9a-f]{16}}`, `*`) against a
 * concrete path, as Hono's router would match it: a constrained parameter does not match a segment
 * outside its pattern, so `/api/swap/stop` is not offered the job route's `GET`.
 */
export function patternMatches(pattern: string, path: string): boolean {
  const want = segments(pattern)
  const have = segments(path)
  for (const [i, part] of want.entries()) {
    if (part === '*') return true
    const seg = have[i]
    if (seg === undefined || !segmentMatches(part, seg)) return false
  }
  return want.length === have.length
}

export function allowedMethods(app: Pick<ServiceApp, 'routes'>, path: string): string[] {
  const methods = new Set<string>()
  for (const r of app.routes)
    if (r.method !== 'ALL' && patternMatches(r.path, path)) methods.add(r.method.toUpperCase())
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods].sort()
}

export function methodNotAllowed(app: Pick<ServiceApp, 'routes'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const allow = allowedMethods(app, c.req.path)
    if (allow.length === 0 || allow.includes(c.req.method)) return next()
    const message = `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow.join(', ')}.`
    throw new AppError(405, 'method_not_allowed', message, { headers: { Allow: allow.join(', ') } })
  }
}
