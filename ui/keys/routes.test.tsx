/**
 * Settings → API keys (ui/keys/): the list without keys, a created key in the answer once (the
 * panel with htmx, the whole page without), revoke only with its box ticked, and nothing at all
 * for a viewer who may not manage keys.
 */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { AppError, conflict } from '../../shared/errors.ts'
import { silentLogger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { FlashNotices } from '../flash.ts'
import type { Chrome } from '../layout/layout.tsx'
import { KEYS_PATHS } from './paths.ts'
import { keysDashboardRoutes } from './routes.tsx'
import type { KeysSource, KeyView } from './source.ts'

const urls = { htmx: '/h.js', sse: '/s.js', css: '/c.css', script: '/d.js', icon: '/i.svg' }
const SECRET = 'sc_THIS-IS-THE-NEW-KEY-0123456789abcdefghijklmnop'

function fakeKeys(allowed = true) {
  const keys: KeyView[] = [
    {
      name: 'ops',
      scopes: ['admin'],
      created_at: '2026-01-01T00:00:00Z',
      last_used_at: null,
      request_count: 3,
    },
  ]
  const revoked: string[] = []
  const source: KeysSource = {
    list: async () => keys,
    async create(name, scopes) {
      if (keys.some((k) => k.name === name)) throw conflict(`A key named "${name}" exists.`)
      const record = {
        name,
        scopes,
        created_at: '2026-03-01T00:00:00Z',
        last_used_at: null,
        request_count: 0,
      }
      keys.push(record)
      return { key: SECRET, record }
    },
    async revoke(name) {
      revoked.push(name)
      keys.splice(
        keys.findIndex((k) => k.name === name),
        1,
      )
    },
    mayManage: () => allowed,
  }
  const chrome: Chrome = { simulated: false, controlsOpen: true, notices: new FlashNotices(), urls }
  const app = new Hono<AppEnv>()
  app.route('/', keysDashboardRoutes({ keys: source, chrome, logger: silentLogger() }))
  // As the gateway's dashboard mount does: an AppError answers with its own status.
  app.onError((err, c) => c.text(err.message, err instanceof AppError ? (err.status as 403) : 500))
  return { app, revoked }
}

const post = (app: Hono<AppEnv>, path: string, form: string, htmx: boolean) =>
  app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(htmx ? { 'hx-request': 'true' } : {}),
    },
    body: form,
  })

describe('the API keys page', () => {
  it('lists names, scopes and usage, with a create form whose scopes are checkboxes', async () => {
    const { app } = fakeKeys()
    const html = await (await app.request(KEYS_PATHS.page)).text()
    expect(html).toContain('data-key="ops"')
    expect(html).toMatch(/data-requests="">3<|data-requests[^>]*>3</)
    for (const scope of ['chat', 'audio', 'search', 'redaction', 'admin'])
      expect(html).toContain(`name="scopes" value="${scope}"`)
  })

  it('shows a created key in the answer only: the panel with htmx, the whole page without', async () => {
    const { app } = fakeKeys()
    const htmx = await post(app, KEYS_PATHS.create, 'name=crm-app&scopes=chat&scopes=search', true)
    expect(htmx.status).toBe(200)
    const fragment = await htmx.text()
    expect(fragment).toContain(SECRET)
    expect(fragment).not.toContain('<html')
    const plain = await post(app, KEYS_PATHS.create, 'name=crm-2&scopes=chat', false)
    expect(plain.status).toBe(200)
    expect(await plain.text()).toMatch(/<html[\s\S]*sc_THIS-IS-THE-NEW-KEY/)
    expect(await (await app.request(KEYS_PATHS.page)).text()).not.toContain(SECRET)
  })

  it('says why a key was not created: no scope, a bad name, a name taken', async () => {
    const { app } = fakeKeys()
    expect(await (await post(app, KEYS_PATHS.create, 'name=crm-app', true)).text()).toContain('scopes')
    expect(await (await post(app, KEYS_PATHS.create, 'name=../x&scopes=chat', true)).text()).toContain('name')
    expect(await (await post(app, KEYS_PATHS.create, 'name=ops&scopes=chat', true)).text()).toContain(
      'A key named &quot;ops&quot; exists',
    )
  })

  it('revokes only with the confirmation box ticked', async () => {
    const { app, revoked } = fakeKeys()
    const unticked = await post(app, KEYS_PATHS.revoke, 'name=ops', true)
    expect(await unticked.text()).toContain('nothing was revoked')
    expect(revoked).toEqual([])
    const plain = await post(app, KEYS_PATHS.revoke, 'name=ops&confirm=yes', false)
    expect(plain.status).toBe(303)
    expect(revoked).toEqual(['ops'])
  })

  it('shows and changes nothing for a viewer who may not manage keys', async () => {
    const { app, revoked } = fakeKeys(false)
    const html = await (await app.request(KEYS_PATHS.page)).text()
    expect(html).not.toContain('data-key="ops"')
    expect(html).toContain('unlock the controls with an admin key')
    expect((await post(app, KEYS_PATHS.revoke, 'name=ops&confirm=yes', true)).status).toBe(403)
    expect(revoked).toEqual([])
  })
})
