/**
 * The owner login, sessions, CSRF tokens and lockout at the gateway, over HTTP with the real
 * dashboard and a fake swap-controller: what a browser (cookies, Origin) and a program see.
 */
import { describe, expect, it } from 'vitest'
import { memoryAuditRecorder } from '../../../shared/audit/recorder.ts'
import { hashPassword } from '../../../shared/auth/password.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { buildDashboard } from '../../../ui/app.tsx'
import { sampleStatus } from '../../../ui/fixtures/sample-status.ts'
import { fakeSwapSource } from '../../../ui/fixtures/swap.ts'
import { type RawResponse, rawRequest, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'
import { createDashboardLogin } from './login-setup.ts'

const track = trackServers()
const PASSWORD = 'a long owner password'
const HASH = await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 })
const HTML = 'text/html,application/xhtml+xml'

async function gateway(passwordHash: string | null) {
  let t = 1_000_000
  const audit = memoryAuditRecorder()
  const times = {
    SESSION_IDLE_MS: 3600_000,
    SESSION_MAX_MS: 24 * 3600_000,
    LOGIN_LOCKOUT_FAILURES: 3,
    LOGIN_LOCKOUT_MS: 60_000,
    LOGIN_LOCKOUT_MAX_MS: 600_000,
    LOGIN_GLOBAL_FAILURES: 100,
  }
  const login = createDashboardLogin(times, { passwordHash, audit, now: () => t })
  const dashboard = buildDashboard({
    getStatus: () => Promise.resolve(sampleStatus(new Date())),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    swap: fakeSwapSource().source,
    controlsOpen: passwordHash === null,
  })
  const gw = await track(startGateway({}, { dashboard, login }))
  return {
    gw,
    audit,
    advance: (ms: number) => {
      t += ms
    },
  }
}

/** A browser's cookie jar, enough for these tests. */
function browser(base: string) {
  const jar = new Map<string, string>()
  const keep = (res: RawResponse) => {
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const value = pair!.slice(eq + 1)
      if (/Max-Age=0/.test(line) || value === '') jar.delete(pair!.slice(0, eq))
      else jar.set(pair!.slice(0, eq), value)
    }
    return res
  }
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const headers = (extra: Record<string, string>) => ({
    accept: HTML,
    ...(jar.size ? { cookie: cookie() } : {}),
    ...extra,
  })
  return {
    jar,
    get: async (path: string, extra: Record<string, string> = {}) =>
      keep(await rawRequest(`${base}${path}`, { headers: headers(extra) })),
    post: async (path: string, form: Record<string, string>, extra: Record<string, string> = {}) =>
      keep(
        await rawRequest(`${base}${path}`, {
          method: 'POST',
          headers: headers({
            'content-type': 'application/x-www-form-urlencoded',
            origin: base,
            ...extra,
          }),
          body: new URLSearchParams(form).toString(),
        }),
      ),
  }
}

const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null

async function logIn(b: ReturnType<typeof browser>) {
  const form = await b.get('/ui/login')
  const res = await b.post('/ui/login', { password: PASSWORD, next: '/ui/swap', _csrf: tokenIn(form.body)! })
  expect(res.status).toBe(303)
  expect(res.headers.location).toBe('/ui/swap')
  return res
}

describe('with a dashboard password', () => {
  it('sends pages to the login, and the right password opens them with a new HttpOnly, Strict session', async () => {
    const { gw, audit } = await gateway(HASH)
    const b = browser(gw.url)
    const page = await b.get('/ui/swap')
    expect(page.status).toBe(303)
    expect(page.headers.location).toBe('/ui/login?next=%2Fui%2Fswap')
    // A script without a session gets a 401, not a redirect.
    expect((await rawRequest(`${gw.url}/ui/swap`)).status).toBe(401)
    const form = await b.get('/ui/login')
    expect(form.status).toBe(200)
    expect(tokenIn(form.body)).not.toBeNull()
    const res = await logIn(b)
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('sc_session='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).not.toMatch(/Secure/)
    const swap = await b.get('/ui/swap')
    expect(swap.status).toBe(200)
    expect(swap.body).toContain('Logged in as the owner')
    expect(audit.entries.map((e) => [e.actor, e.action, e.outcome])).toEqual([['owner', 'login.ok', 'ok']])
    expect(JSON.stringify(audit.entries)).not.toContain(PASSWORD)
  })

  it('rotates the session id at each login: the old id no longer opens a page', async () => {
    const { gw } = await gateway(HASH)
    const b = browser(gw.url)
    await logIn(b)
    const first = b.jar.get('sc_session')!
    await logIn(b)
    const second = b.jar.get('sc_session')!
    expect(second).not.toBe(first)
    const old = await rawRequest(`${gw.url}/ui/swap`, {
      headers: { accept: HTML, cookie: `sc_session=${first}` },
    })
    expect(old.status).toBe(303)
  })

  it('a wrong password says so; after 3 the address waits (429, Retry-After), then the right one gets in', async () => {
    const { gw, audit, advance } = await gateway(HASH)
    const b = browser(gw.url)
    const token = tokenIn((await b.get('/ui/login')).body)!
    const wrong = await b.post('/ui/login', { password: 'nope', _csrf: token })
    expect(wrong.status).toBe(303)
    expect(wrong.headers.location).toBe('/ui/login?login=wrong&next=%2F')
    expect((await b.get('/ui/login?login=wrong')).body).toContain('That password is not right.')
    await b.post('/ui/login', { password: 'nope', _csrf: token })
    const third = await b.post('/ui/login', { password: 'nope', _csrf: token })
    expect(third.status).toBe(429)
    expect(third.headers['retry-after']).toBe('60')
    expect(third.body).toContain('Too many failed logins')
    // Locked: even the right password is refused, and a script gets the error in problem+json.
    const right = await b.post(
      '/ui/login',
      { password: PASSWORD, _csrf: token },
      { accept: 'application/json' },
    )
    expect(right.status).toBe(429)
    expect(JSON.parse(right.body)).toMatchObject({ type: 'urn:spark-control:error:login_locked' })
    advance(60_000)
    expect((await b.post('/ui/login', { password: PASSWORD, _csrf: token })).status).toBe(303)
    const actions = audit.entries.map((e) => e.action)
    expect(actions).toEqual([
      'login.failed',
      'login.failed',
      'login.failed',
      'login.locked',
      'login.locked',
      'login.ok',
    ])
  })

  it('an action needs the session and its token: without, with a stale or a foreign token it is refused', async () => {
    const { gw } = await gateway(HASH)
    const owner = browser(gw.url)
    await logIn(owner)
    const token = tokenIn((await owner.get('/ui/swap?recipe=llama-70b')).body)!
    const missing = await owner.post('/ui/actions/swap', { recipe: 'llama-70b' })
    expect(missing.status).toBe(403)
    expect(missing.body).toContain('security token was missing or out of date')
    const htmx = await owner.post(
      '/ui/actions/swap',
      { recipe: 'llama-70b' },
      { 'hx-request': 'true', 'x-csrf-token': 'x' },
    )
    expect(htmx.status).toBe(403)
    expect(JSON.parse(htmx.body)).toMatchObject({ type: 'urn:spark-control:error:csrf_token_invalid' })
    const other = browser(gw.url)
    await logIn(other)
    const foreign = await other.post('/ui/actions/swap', { recipe: 'llama-70b', _csrf: token })
    expect(foreign.status).toBe(403)
    const ok = await owner.post('/ui/actions/swap', { recipe: 'llama-70b', _csrf: token })
    expect(ok.status).toBe(303)
    // Without a session (a stranger posting the owner's token) it never reaches the action.
    const stranger = await rawRequest(`${gw.url}/ui/actions/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
      body: 'recipe=llama-70b',
    })
    expect(stranger.status).toBe(401)
  })

  it('logout ends the session on the server', async () => {
    const { gw, audit } = await gateway(HASH)
    const b = browser(gw.url)
    await logIn(b)
    const id = b.jar.get('sc_session')!
    const token = tokenIn((await b.get('/')).body)!
    const out = await b.post('/ui/logout', { _csrf: token })
    expect(out.status).toBe(303)
    expect(out.headers.location).toBe('/ui/login?login=out')
    const replay = await rawRequest(`${gw.url}/`, { headers: { accept: HTML, cookie: `sc_session=${id}` } })
    expect(replay.status).toBe(303)
    expect(audit.entries.map((e) => e.action)).toEqual(['login.ok', 'logout'])
  })

  it('marks the session cookie Secure behind HTTPS', async () => {
    const { gw } = await gateway(HASH)
    const b = browser(gw.url)
    const token = tokenIn((await b.get('/ui/login')).body)!
    const res = await b.post(
      '/ui/login',
      { password: PASSWORD, _csrf: token },
      { 'x-forwarded-proto': 'https' },
    )
    expect([res.headers['set-cookie']].flat().find((c) => c?.startsWith('sc_session='))).toMatch(/; Secure/)
  })
})

describe('without a password (the default)', () => {
  it('pages stay open and carry a token; a browser form needs it, a program sending no cookie does not', async () => {
    const { gw } = await gateway(null)
    expect((await rawRequest(`${gw.url}/ui/login`)).status).not.toBe(200)
    const b = browser(gw.url)
    const page = await b.get('/ui/swap?recipe=llama-70b')
    expect(page.status).toBe(200)
    expect(b.jar.has('sc_csrf')).toBe(true)
    expect((await rawRequest(`${gw.url}/api/status`)).headers['set-cookie']).toBeUndefined()
    const token = tokenIn(page.body)!
    expect(page.body).toContain(`<meta name="csrf-token" content="${token}"/>`)
    expect((await b.post('/ui/actions/swap', { recipe: 'llama-70b' })).status).toBe(403)
    expect((await b.post('/ui/actions/swap', { recipe: 'llama-70b', _csrf: token })).status).toBe(303)
    const program = await rawRequest(`${gw.url}/ui/actions/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: HTML },
      body: 'recipe=llama-70b',
    })
    expect(program.status).toBe(303)
  })
})
