/**
 * What the gateway's `fetch` does before Hono's router sees a request. Both wrap `app.fetch`, so
 * every server (Node, Deno, `app.request` in tests) goes through them.
 */
import type { ServiceApp } from '../../../shared/service.ts'
import type { FrontDoor } from './portable-front-door.ts'

/** Proxied paths go to the front door first (one table lookup, no router); the rest on to the app. */
export function installFrontDoor(app: ServiceApp, frontDoor: FrontDoor) {
  const honoFetch = app.fetch
  app.fetch = (request, env, ctx) => frontDoor(request, env) ?? honoFetch(request, env, ctx)
}

/** `GET`/`HEAD` of `from` (query kept) answered by the route at `to`, before any route sees it. */
export function aliasGet(app: ServiceApp, from: string, to: string) {
  const honoFetch = app.fetch
  app.fetch = (request, env, ctx) => honoFetch(aliased(request, from, to), env, ctx)
}

function aliased(request: Request, from: string, to: string): Request {
  const url = request.url
  const i = url.indexOf('/', url.indexOf('//') + 2)
  const end = i + from.length
  if (i === -1 || !url.startsWith(from, i) || (url.length !== end && url[end] !== '?')) return request
  if (request.method !== 'GET' && request.method !== 'HEAD') return request
  return new Request(url.slice(0, i) + to + url.slice(end), request)
}
