/**
 * `GET /ui/login`, `POST /ui/login`, `POST /ui/logout`: the owner's dashboard login (mounted only
 * while a password is set). A login checks the address's lockout before the password (a locked
 * attempt costs no scrypt time), then starts a new session — the id the browser held before is
 * destroyed, so a login always rotates it. Every outcome is audited, never the password.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { verifyPassword } from '../../../shared/auth/password.ts'
import { OWNER_ACTOR, SESSION_COOKIE } from '../../../shared/auth/session.ts'
import { AppError } from '../../../shared/errors.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import { LOGIN_NOTES, LoginPage, sendLoginHtml } from '../../../ui/login/page.tsx'
import { clientAddress } from '../proxy/headers.ts'
import { readCookie, setCookie } from './login-cookies.ts'
import type { DashboardLogin } from './login-setup.ts'

const form = z.object({
  password: z.string().max(1024).openapi({ description: "The owner's dashboard password." }),
  next: z
    .string()
    .max(512)
    .optional()
    .openapi({ description: 'Where to go afterwards: a path on this site.' }),
})

const loginPage = createRoute({
  method: 'get',
  path: '/ui/login',
  tags: ['dashboard'],
  summary: "The owner's login form",
  responses: { 200: { description: 'The page' } },
})

const loginRoute = createRoute({
  method: 'post',
  path: '/ui/login',
  tags: ['dashboard'],
  summary: 'Log in as the owner: starts a session (the `sc_session` cookie)',
  request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: form } } } },
  responses: {
    303: {
      description: 'Logged in (to `next`), or a wrong password from a browser form (back to the login page)',
    },
    401: { description: 'Wrong password' },
    403: { description: 'CSRF token missing or wrong' },
    429: { description: 'Too many failed logins from this address (or overall): wait `Retry-After` seconds' },
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/ui/logout',
  tags: ['dashboard'],
  summary: "End the owner's session",
  responses: { 303: { description: 'Logged out; to the login page' } },
})

const SAFE_NEXT = /^\/(?![/\\])[\x21-\x7e]*$/
const safeNext = (next: string | undefined) =>
  next && SAFE_NEXT.test(next) && !next.startsWith('/ui/login') ? next : '/'
const wantsPage = (c: Context<AppEnv>) => (c.req.header('accept') ?? '').includes('text/html')

export function loginRoutes(login: DashboardLogin): ServiceApp {
  const router = createRouter()
  const audit = (c: Context<AppEnv>, action: string, outcome: string, detail: string | null = null) =>
    login.audit.record({ actor: OWNER_ACTOR, action, outcome, detail, requestId: c.var.requestId })

  router.openapi(loginPage, (c) => {
    const note = LOGIN_NOTES.find((n) => n === c.req.query('login')) ?? null
    return sendLoginHtml(c, LoginPage({ next: safeNext(c.req.query('next')), note }), 200)
  })

  router.openapi(loginRoute, async (c) => {
    const { password, next } = c.req.valid('form')
    const address = clientAddress(c.env) ?? 'unknown'
    const waitMs = login.lockout.waitMs(address)
    if (waitMs > 0) return locked(c, waitMs, safeNext(next), () => audit(c, 'login.locked', 'refused'))
    if (!(await verifyPassword(password, login.passwordHash ?? ''))) {
      const lockMs = login.lockout.fail(address)
      audit(c, 'login.failed', 'refused')
      if (lockMs > 0) return locked(c, lockMs, safeNext(next), () => audit(c, 'login.locked', 'refused'))
      if (wantsPage(c))
        return c.redirect(`/ui/login?login=wrong&next=${encodeURIComponent(safeNext(next))}`, 303)
      throw new AppError(401, 'unauthorized', 'That password is not right.')
    }
    login.lockout.succeed(address)
    const session = login.sessions.create(readCookie(c, SESSION_COOKIE))
    // No Max-Age: the cookie ends with the browser; the server's expiry bounds it anyway.
    setCookie(c, SESSION_COOKIE, session.id, null)
    audit(c, 'login.ok', 'ok')
    c.var.log.info('dashboard: owner logged in')
    return c.redirect(safeNext(next), 303)
  })

  router.openapi(logoutRoute, (c) => {
    const id = readCookie(c, SESSION_COOKIE)
    if (login.sessions.touch(id)) audit(c, 'logout', 'ok')
    login.sessions.destroy(id)
    setCookie(c, SESSION_COOKIE, '', 0)
    return c.redirect('/ui/login?login=out', 303)
  })
  return router
}

async function locked(c: Context<AppEnv>, waitMs: number, next: string, record: () => void) {
  record()
  const seconds = Math.ceil(waitMs / 1000)
  c.var.log.warn({ retryAfterS: seconds }, 'dashboard login locked out')
  if (!wantsPage(c)) {
    throw new AppError(429, 'login_locked', `Too many failed logins. Try again in ${seconds} s.`, {
      retryAfterS: seconds,
    })
  }
  c.header('Retry-After', String(seconds))
  return sendLoginHtml(c, LoginPage({ next, note: null, lockedForS: seconds }), 429)
}
