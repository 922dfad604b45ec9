/**
 * The dashboard's owner session and CSRF check, for the routes the gateway answers itself.
 *
 * Session: with a password set, the dashboard's pages and actions need the owner's session (or an
 * admin API key, as before); a session acts as `owner` and counts as the admin scope for the
 * dashboard's own actions only (the API still needs keys).
 *
 * CSRF: every dashboard page carries a token bound to the session, or to the anonymous `sc_csrf`
 * cookie while nobody is logged in. A POST to a dashboard form route must bring it back (form field
 * or header) when it comes from a browser — it carries one of our cookies, an `Origin` or a
 * `Sec-Fetch-Site` — since only a browser can be tricked into sending a request. A program sending
 * none of these passes, as it did before (the same rule as the same-origin guard).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { KEY_COOKIE } from '../../../shared/auth/credentials.ts'
import { CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, newCsrfBinding } from '../../../shared/auth/csrf.ts'
import { withCsrfToken } from '../../../shared/auth/csrf-scope.ts'
import type { ApiKeyAuth } from '../../../shared/auth/guard.ts'
import { OWNER_ACTOR, SESSION_COOKIE } from '../../../shared/auth/session.ts'
import { AppError } from '../../../shared/errors.ts'
import type { AppEnv } from '../../../shared/service.ts'
import { CsrfRefusedPage, sendLoginHtml } from '../../../ui/login/page.tsx'
import { readCookie, setCookie } from './login-cookies.ts'
import type { DashboardLogin } from './login-setup.ts'

/** The forms whose POST must carry a token. */
const FORM_PATHS = ['/ui/login', '/ui/logout', '/ui/unlock', '/ui/lock']
const ACTIONS = '/ui/actions/'
const isFormPost = (c: Context<AppEnv>) =>
  c.req.method === 'POST' && (c.req.path.startsWith(ACTIONS) || FORM_PATHS.includes(c.req.path))

/** Pages that stay open with a login on: the login page itself and the static files it uses. */
const isOpenPage = (path: string) => path === '/ui/login' || path.startsWith('/static/')
const isDashboardPage = (path: string) => path === '/' || path === '/ui' || path.startsWith('/ui/')

const ANON_MAX_AGE_S = 30 * 24 * 3600

export function dashboardGuard(
  login: DashboardLogin,
  auth: ApiKeyAuth | undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const session = login.passwordHash ? login.sessions.touch(readCookie(c, SESSION_COOKIE)) : null
    if (session) {
      c.set('actor', OWNER_ACTOR)
      c.set('owner', true)
    }
    const refused = login.passwordHash && !session ? needsLogin(c, auth) : null
    if (refused) return refused
    const anon = readCookie(c, CSRF_COOKIE)
    const binding = session?.id ?? anon ?? newCsrfBinding()
    if (isFormPost(c) && fromBrowser(c) && !login.csrf.check(binding, await presentedToken(c))) {
      c.var.log.info({ path: c.req.path }, 'dashboard form refused: CSRF token missing or wrong')
      return csrfRefused(c)
    }
    await withCsrfToken(login.csrf.tokenFor(binding), next)
    // Only a page hands out the anonymous cookie: API answers stay free of cookies, as before.
    if (!session && anon === null && c.req.method === 'GET' && isDashboardPage(c.req.path))
      setCookie(c, CSRF_COOKIE, binding, ANON_MAX_AGE_S)
  }
}

function needsLogin(c: Context<AppEnv>, auth: ApiKeyAuth | undefined): Response | null {
  const path = c.req.path
  const guarded =
    c.req.method === 'POST' ? path.startsWith(ACTIONS) : isDashboardPage(path) && !isOpenPage(path)
  if (!guarded) return null
  const h = {
    authorization: c.req.header('authorization') ?? null,
    apiKey: c.req.header('x-api-key') ?? null,
    cookie: c.req.header('cookie') ?? null,
  }
  if (auth?.hasScope('admin', h)) return null
  const person = c.req.header('hx-request') !== 'true' && (c.req.header('accept') ?? '').includes('text/html')
  if (!person)
    throw new AppError(401, 'login_required', 'Log in to the dashboard first (the session may have ended).')
  const back = c.req.method === 'GET' ? path : (refererPath(c.req.header('referer')) ?? '/')
  return c.redirect(`/ui/login?next=${encodeURIComponent(back)}`, 303)
}

function refererPath(referer: string | undefined): string | null {
  try {
    return referer ? new URL(referer).pathname : null
  } catch {
    return null
  }
}

/** A browser: it sends our cookies, or says where the request comes from. Programs send neither. */
function fromBrowser(c: Context<AppEnv>): boolean {
  if (c.req.header('origin') || c.req.header('sec-fetch-site')) return true
  return [CSRF_COOKIE, SESSION_COOKIE, KEY_COOKIE].some((name) => readCookie(c, name) !== null)
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i

async function presentedToken(c: Context<AppEnv>): Promise<string | null> {
  const header = c.req.header(CSRF_HEADER)
  if (header) return header
  if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) return null
  try {
    // A copy: the route (or the dashboard) reads the body itself afterwards.
    const value = (await c.req.raw.clone().formData()).get(CSRF_FIELD)
    return typeof value === 'string' ? value : null
  } catch {
    return null
  }
}

function csrfRefused(c: Context<AppEnv>): Promise<Response> | never {
  const person = c.req.header('hx-request') !== 'true' && (c.req.header('accept') ?? '').includes('text/html')
  if (person) return sendLoginHtml(c, CsrfRefusedPage(), 403)
  throw new AppError(
    403,
    'csrf_token_invalid',
    "The form's security token is missing or out of date; reload the page and try again.",
  )
}
