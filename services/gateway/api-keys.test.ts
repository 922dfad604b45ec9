/**
 * Opt-in API keys at the gateway (docs/SECURITY.md): with a group switched on, its requests need a key with
 * its scope, refused in the path's own error style; with none switched on, nothing changes.
 * The swap-controller learns who acted from `X-Spark-Actor`, which only the gateway may set.
 */
import { describe, expect, it } from 'vitest'
import { createApiKeyAuth } from '../../shared/auth/guard.ts'
import { generateKey, hashKey, type Scope } from '../../shared/auth/keys.ts'
import { memoryKeyStore } from '../../shared/auth/store.ts'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../../ui/app.tsx'
import { sampleStatus } from '../../ui/fixtures/sample-status.ts'
import { fakeSwapSource } from '../../ui/fixtures/swap.ts'
import { rawRequest, startGateway } from './testing/harness.ts'
import { echoBackend, trackServers } from './testing/tracked.ts'

const track = trackServers()
const CHAT_KEY = generateKey()
const ADMIN_KEY = generateKey()
const store = memoryKeyStore([
  { name: 'crm-app', hash: hashKey(CHAT_KEY), scopes: ['chat'], created_at: '2026-01-01T00:00:00Z' },
  { name: 'ops', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
])
const auth = (groups: Scope[]) => createApiKeyAuth({ groups, store })

async function stack(groups: Scope[] | null) {
  const calls: string[] = []
  const upstream = await track(echoBackend(calls))
  const backends = { 'swap-controller': upstream.url, 'redaction-gateway': upstream.url }
  const gw = await track(startGateway(backends, { auth: groups ? auth(groups) : undefined }))
  return { gw, calls }
}
const post = (url: string, headers: Record<string, string> = {}) =>
  rawRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: '{"recipe":"x"}',
  })

describe('API keys required for admin', () => {
  it('refuses a swap without a key: 401, {"detail"} body, a challenge, and nothing forwarded', async () => {
    const { gw, calls } = await stack(['admin'])
    const res = await post(`${gw.url}/api/swap`)
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toBe('Bearer realm="spark-control", scope="admin"')
    expect(JSON.parse(res.body).detail).toMatch(/API key is required for admin routes/)
    expect(calls).toEqual([])
  })

  it('refuses a key without the admin scope with 403, naming the key but never showing it', async () => {
    const { gw, calls } = await stack(['admin'])
    const res = await post(`${gw.url}/api/swap`, { authorization: `Bearer ${CHAT_KEY}` })
    expect(res.status).toBe(403)
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"')
    expect(res.body).toContain('crm-app')
    expect(res.body).not.toContain(CHAT_KEY)
    expect(calls).toEqual([])
  })

  it('passes an admin key on, with the key name as X-Spark-Actor in place of the client one', async () => {
    const { gw, calls } = await stack(['admin'])
    const ways: Array<Record<string, string>> = [
      { 'x-api-key': ADMIN_KEY },
      { cookie: `theme=dark; sc_key=${ADMIN_KEY}` },
    ]
    for (const headers of ways) {
      const res = await post(`${gw.url}/api/swap/stop`, { ...headers, 'x-spark-actor': 'someone-else' })
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body).headers['x-spark-actor']).toBe('ops')
    }
    expect(calls).toEqual(['POST /api/swap/stop', 'POST /api/swap/stop'])
  })

  it('leaves reads and the open groups alone, and drops a self-declared actor there', async () => {
    const { gw, calls } = await stack(['admin'])
    expect((await rawRequest(`${gw.url}/api/swap/state`)).status).toBe(200)
    const chat = await post(`${gw.url}/v1/chat/completions`, { 'x-spark-actor': 'ops' })
    expect(chat.status).toBe(200)
    expect(JSON.parse(chat.body).headers['x-spark-actor']).toBeUndefined()
    const named = await post(`${gw.url}/v1/chat/completions`, { authorization: `Bearer ${CHAT_KEY}` })
    expect(JSON.parse(named.body).headers['x-spark-actor']).toBe('crm-app')
    expect(calls).toHaveLength(3)
  })

  it('guards the dashboard actions the gateway answers itself', async () => {
    const { gw } = await stack(['admin'])
    const refused = await post(`${gw.url}/ui/actions/swap`)
    expect(refused.status).toBe(401)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    // Past the guard there is no such page in this test: 404, not 401.
    expect((await post(`${gw.url}/ui/actions/swap`, { 'x-api-key': ADMIN_KEY })).status).toBe(404)
  })
})

describe('on-demand swaps through the open chat route', () => {
  it("tells the swap-controller whether the key may load a model, and never takes the client's word", async () => {
    const { gw } = await stack(['admin'])
    const mayswap = async (headers: Record<string, string>) => {
      const res = await post(`${gw.url}/v1/chat/completions`, { 'x-spark-may-swap': 'yes', ...headers })
      expect(res.status).toBe(200)
      return JSON.parse(res.body).headers['x-spark-may-swap']
    }
    expect(await mayswap({})).toBe('no')
    expect(await mayswap({ 'x-api-key': CHAT_KEY })).toBe('no')
    expect(await mayswap({ 'x-api-key': ADMIN_KEY })).toBe('yes')
    const open = await stack(null)
    const res = await post(`${open.gw.url}/v1/chat/completions`, { 'x-spark-may-swap': 'no' })
    expect(JSON.parse(res.body).headers['x-spark-may-swap']).toBeUndefined()
  })
})

/** The real dashboard, with a fake swap-controller, behind a gateway that needs admin keys. */
async function dashboardBehindKeys() {
  const fake = fakeSwapSource()
  const dashboard = buildDashboard({
    getStatus: () => Promise.resolve(sampleStatus(new Date())),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    swap: fake.source,
    controlsOpen: false,
  })
  return { fake, gw: await track(startGateway({}, { auth: auth(['admin']), dashboard })) }
}

describe('a dashboard action with a key', () => {
  it('reaches the swap-controller as "dashboard:<key name>", so the audit names the key', async () => {
    const { fake, gw } = await dashboardBehindKeys()
    const res = await rawRequest(`${gw.url}/ui/actions/swap`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'hx-request': 'true',
        'x-api-key': ADMIN_KEY,
      },
      body: 'recipe=llama-70b',
    })
    expect(res.status).toBe(200)
    expect(fake.calls.find((c) => c.method === 'start')?.args).toEqual(['llama-70b', 'dashboard:ops'])
  })
})

describe('a dashboard form posted without JavaScript and refused', () => {
  const plainForm = (url: string, headers: Record<string, string>) =>
    rawRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,*/*', ...headers },
      body: 'recipe=llama-70b',
    })

  it('goes back to the page it came from, saying a key (or the admin scope) is needed; nothing starts', async () => {
    const { fake, gw } = await dashboardBehindKeys()
    const from = { referer: `${gw.url}/ui/swap?notice=old` }
    const none = await plainForm(`${gw.url}/ui/actions/swap`, from)
    expect(none.status).toBe(303)
    expect(none.headers.location).toBe('/ui/swap?unlock=needed')
    const chat = await plainForm(`${gw.url}/ui/actions/swap`, { ...from, cookie: `sc_key=${CHAT_KEY}` })
    expect(chat.headers.location).toBe('/ui/swap?unlock=not-admin')
    // No usable Referer: home. htmx and scripts get the error itself, in the problem style.
    expect((await plainForm(`${gw.url}/ui/actions/swap`, {})).headers.location).toBe('/?unlock=needed')
    const htmx = await plainForm(`${gw.url}/ui/actions/swap`, { ...from, 'hx-request': 'true' })
    expect(htmx.status).toBe(401)
    expect(htmx.headers['content-type']).toContain('application/problem+json')
    expect(fake.calls.filter((c) => c.method === 'start')).toEqual([])
    const page = await rawRequest(`${gw.url}/ui/swap?unlock=not-admin`, {
      headers: { cookie: `sc_key=${CHAT_KEY}` },
    })
    expect(page.body).toContain('data-unlock="not-admin"')
    expect(page.body).toContain('lacks the admin scope')
  })
})

describe('the dashboard unlock form', () => {
  const form = (url: string, body: string, headers: Record<string, string> = {}) =>
    rawRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    })

  it('keeps a valid key in an HttpOnly SameSite cookie that then works as a credential', async () => {
    const { gw } = await stack(['admin'])
    const res = await form(`${gw.url}/ui/unlock`, `key=${ADMIN_KEY}&next=%2Fui%2Fswap`)
    expect(res.status).toBe(303)
    expect(res.headers.location).toBe('/ui/swap')
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toMatch(
      new RegExp(`^sc_key=${ADMIN_KEY}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`),
    )
    const swap = await post(`${gw.url}/api/swap`, { cookie: cookie.split(';')[0]! })
    expect(JSON.parse(swap.body).headers['x-spark-actor']).toBe('ops')
    const locked = await form(`${gw.url}/ui/lock`, '')
    expect(String(locked.headers['set-cookie'])).toContain('sc_key=; ')
  })

  it('refuses an unknown key, a cross-site post, and never redirects off the site', async () => {
    const { gw } = await stack(['admin'])
    const bad = await form(`${gw.url}/ui/unlock`, 'key=sc_nope')
    expect(bad.status).toBe(401)
    expect(bad.headers['set-cookie']).toBeUndefined()
    const crossSite = await form(`${gw.url}/ui/unlock`, `key=${ADMIN_KEY}`, { origin: 'http://evil.example' })
    expect(crossSite.status).toBe(403)
    const offSite = await form(`${gw.url}/ui/unlock`, `key=${ADMIN_KEY}&next=%2F%2Fevil.example`)
    expect(offSite.headers.location).toBe('/')
    expect((await form(`${gw.url}/ui/unlock`, 'nothing=1')).status).toBe(422)
  })

  it('sends a next with control characters, spaces or a backslash home, never a 500 (form and refused key)', async () => {
    const { gw } = await stack(['admin'])
    const html = { accept: 'text/html' }
    for (const next of [
      '%2F%0D%0Ax',
      '%2F%09%2Fevil.example',
      '%2F%0A%2Fevil.example',
      '%2F%5Cevil.example',
      '%2Fa%20b',
      '%2F%C3%A9',
    ]) {
      const ok = await form(`${gw.url}/ui/unlock`, `key=${ADMIN_KEY}&next=${next}`)
      expect(ok.status, next).toBe(303)
      expect(ok.headers.location, next).toBe('/')
      const refused = await form(`${gw.url}/ui/unlock`, `key=sc_nope&next=${next}`, html)
      expect(refused.status, next).toBe(303)
      expect(refused.headers.location, next).toBe('/?unlock=refused')
    }
    const kept = await form(`${gw.url}/ui/unlock`, `key=sc_nope&next=%2Fui%2Fswap%3Fa%3D1`, html)
    expect(kept.headers.location).toBe('/ui/swap?a=1&unlock=refused')
  })
})

describe('error styles of the other groups', () => {
  it('answers /v1 with the OpenAI envelope and /scrub with {"error"}', async () => {
    const { gw } = await stack(['chat', 'redaction'])
    const chat = await post(`${gw.url}/v1/chat/completions`, { authorization: 'Bearer sc_unknown' })
    expect(chat.status).toBe(401)
    expect(JSON.parse(chat.body).error).toMatchObject({ type: 'authentication_error', code: 'unauthorized' })
    expect(chat.headers['www-authenticate']).toContain('error="invalid_token"')
    const scrub = await post(`${gw.url}/scrub`)
    expect(scrub.status).toBe(401)
    expect(JSON.parse(scrub.body).error).toBe('unauthorized')
    expect(
      (await post(`${gw.url}/v1/chat/completions`, { authorization: `Bearer ${CHAT_KEY}` })).status,
    ).toBe(200)
  })
})

describe('API keys off (the default)', () => {
  it('passes everything as before, including a caller naming itself for the audit', async () => {
    const { gw, calls } = await stack(null)
    const res = await post(`${gw.url}/api/swap`, { 'x-spark-actor': 'compat-suite' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body).headers['x-spark-actor']).toBe('compat-suite')
    expect((await post(`${gw.url}/scrub`)).status).toBe(200)
    expect(calls).toEqual(['POST /api/swap', 'POST /scrub'])
  })
})
