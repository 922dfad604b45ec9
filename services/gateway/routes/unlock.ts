/**
 * `POST /ui/unlock` and `POST /ui/lock`: how a browser presents an API key. The dashboard's form
 * posts the key once; a valid one is kept in the `sc_key` cookie (HttpOnly, so page scripts never
 * see it; SameSite=Strict, so other sites cannot ride on it), which the key check reads like an
 * `Authorization` header. Mounted only while some route group needs a key. The same-origin guard
 * covers both routes (they are control routes).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { KEY_COOKIE } from '../../../shared/auth/credentials.ts'
import type { ApiKeyAuth } from '../../../shared/auth/guard.ts'
import { AppError } from '../../../shared/errors.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'

const MAX_AGE_S = 30 * 24 * 3600

const form = z.object({
  key: z.string().max(256).openapi({ description: 'The API key (`sc_…`).' }),
  next: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Where to go afterwards: a path on this site.' }),
})

const redirect = {
  303: {
    description:
      'Done; back to `next` (default `/`); a refused key from a browser form comes back with `?unlock=refused`',
  },
}

const unlockRoute = createRoute({
  method: 'post',
  path: '/ui/unlock',
  tags: ['dashboard'],
  summary: 'Keep an API key in the browser (the `sc_key` cookie) for the dashboard',
  request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: form } } } },
  responses: {
    ...redirect,
    401: { description: 'Unknown or revoked key' },
    422: { description: 'No key field' },
  },
})

const lockRoute = createRoute({
  method: 'post',
  path: '/ui/lock',
  tags: ['dashboard'],
  summary: 'Forget the API key this browser keeps',
  responses: redirect,
})

/**
 * Only a path on this site, in visible ASCII: `//host` or a scheme would make the form an open
 * redirect, a tab or newline is dropped by browsers (`/\t/host` becomes `//host`), and CR/LF or
 * non-ASCII would make the Location header invalid (a 500).
 */
const SAFE_NEXT = /^\/(?![/\\])[\x21-\x7e]*$/
const safeNext = (next: string | undefined) => (next && SAFE_NEXT.test(next) ? next : '/')

const withUnlockNote = (path: string, note: string) =>
  safeNext(`${path}${path.includes('?') ? '&' : '?'}unlock=${note}`)

/** The path of the page a form was posted from (the same-origin guard already checked where it came from). */
function refererPath(referer: string | undefined): string {
  try {
    return referer ? safeNext(new URL(referer).pathname) : '/'
  } catch {
    return '/'
  }
}

const DASHBOARD_ACTIONS = '/ui/actions/'

/**
 * A dashboard form posted without JavaScript and refused for want of a key (401) or of the admin
 * scope (403): a person, not a script, so back to the page it came from, which says why next to
 * the unlock form. Null for anything else (htmx and API callers get the error itself).
 */
export function refusedFormRedirect(c: Context<AppEnv>, err: unknown): Response | null {
  if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) return null
  if (!c.req.path.startsWith(DASHBOARD_ACTIONS) || c.req.header('hx-request') === 'true') return null
  if (!c.req.header('accept')?.includes('text/html')) return null
  c.var.log.info({ path: c.req.path, status: err.status }, 'dashboard action refused: no admin key')
  return c.redirect(
    withUnlockNote(refererPath(c.req.header('referer')), err.status === 401 ? 'needed' : 'not-admin'),
    303,
  )
}

export function unlockRoutes({ auth }: { auth: ApiKeyAuth }): ServiceApp {
  const router = createRouter()
  router.openapi(unlockRoute, (c) => {
    const { key, next } = c.req.valid('form')
    const name = key.trim()
      ? auth.check(null, { authorization: null, apiKey: key.trim(), cookie: null })
      : null
    if (name === null) {
      // A person at the form gets the page back saying so; a script gets the 401.
      if (c.req.header('accept')?.includes('text/html')) {
        c.var.log.info('dashboard unlock refused: unknown key')
        return c.redirect(withUnlockNote(safeNext(next), 'refused'), 303)
      }
      throw new AppError(401, 'unauthorized', 'That API key is not valid (unknown or revoked).')
    }
    c.var.log.info({ keyName: name }, 'dashboard unlocked')
    const secure = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
    const attrs = `Path=/; HttpOnly; SameSite=Strict; Max-Age=${MAX_AGE_S}${secure ? '; Secure' : ''}`
    c.header('Set-Cookie', `${KEY_COOKIE}=${key.trim()}; ${attrs}`)
    return c.redirect(safeNext(next), 303)
  })
  router.openapi(lockRoute, (c) => {
    c.header('Set-Cookie', `${KEY_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`)
    return c.redirect('/', 303)
  })
  return router
}
