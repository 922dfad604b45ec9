/**
 * Records a service's mutations from one list per service instead of a line in every handler: the
 * route (method and Hono path), the action, and how to name its target. It runs around the handler,
 * so a refusal (4xx) and a failure (5xx) are recorded with their outcome as well as a success. It
 * never reads a body value into the entry unless the route's `target` asks for one (a name, an id).
 */
import type { Context } from 'hono'
import type { AppEnv, ServiceApp } from '../service.ts'
import { actorFrom } from './actor.ts'
import type { AuditRecorder } from './recorder.ts'

type Ctx = Context<AppEnv>

export interface AuditedMutation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Hono's pattern, e.g. `/api/search/collections/:name`. */
  path: string
  action: string
  /** What it acted on; never a secret or a personal value. */
  target?: (c: Ctx) => string | null | undefined
  /** A short sentence from the answer (counts, an id); never a value from the request's text. */
  detail?: (c: Ctx) => string | null | undefined
}

/** `ok` below 400, `refused` for the caller's errors, `failed` for the service's. */
export function outcomeOf(status: number): 'ok' | 'refused' | 'failed' {
  if (status < 400) return 'ok'
  return status < 500 ? 'refused' : 'failed'
}

/** Who acts: the gateway's verified key name (`c.var.actor`), else the shared header rule. */
export const actorOf = (c: Ctx): string => c.var.actor ?? actorFrom((name) => c.req.header(name))

/** A part of the validated request, or undefined when validation refused it. */
export function validated<T>(c: Ctx, target: 'json' | 'param' | 'query'): T | undefined {
  try {
    return (c.req.valid as (t: string) => T | undefined)(target)
  } catch {
    return undefined
  }
}

/** Call before the routes are mounted: Hono runs handlers in the order they were added. */
export function auditMutations(app: ServiceApp, recorder: AuditRecorder, mutations: AuditedMutation[]): void {
  for (const m of mutations) {
    app.on(m.method, m.path, async (c, next) => {
      await next()
      const safely = (pick: ((c: Ctx) => string | null | undefined) | undefined) => {
        try {
          return pick?.(c) ?? null
        } catch {
          return null
        }
      }
      recorder.record({
        actor: actorOf(c),
        action: m.action,
        target: safely(m.target),
        outcome: outcomeOf(c.res.status),
        detail: c.res.status >= 400 ? `HTTP ${c.res.status}` : safely(m.detail),
        requestId: c.var.requestId ?? null,
      })
    })
  }
}
