/**
 * Opt-in API keys on the real stack (simulated cluster): with `API_KEY_GROUPS=admin` a swap needs an
 * admin key, the swap-controller's audit records the key's name as "who", the apps' data routes
 * stay open, and the dashboard drops its "control is open" banner.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateKey, hashKey } from '../../shared/auth/keys.ts'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const ADMIN_KEY = generateKey()
const CHAT_KEY = generateKey()
// In the demo's own data directory (see useDemo), so it goes where the test's other files go.
const keysDir = `${REPO_ROOT}.data/test-api-keys-${process.pid}`
const keysFile = `${keysDir}/api-keys.json`
mkdirSync(keysDir, { recursive: true })
writeFileSync(
  keysFile,
  JSON.stringify([
    { name: 'ops-laptop', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
    { name: 'crm-app', hash: hashKey(CHAT_KEY), scopes: ['chat'], created_at: '2026-01-01T00:00:00Z' },
  ]),
)

const fixture = useDemo({ name: 'api-keys', env: { API_KEY_GROUPS: 'admin', API_KEYS_FILE: keysFile } })
const dryRun = (headers: Record<string, string> = {}) =>
  fetch(fixture.url('/api/swap'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'spoofed', ...headers },
    body: JSON.stringify({ recipe: 'gpt-oss-120b', dry_run: true }),
  })

describe('API keys required for admin routes', () => {
  it('401 without a key, 403 with a chat key, and the admin key is audited by name', async () => {
    const missing = await dryRun()
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toContain('scope="admin"')
    expect((await missing.json()).detail).toMatch(/API key is required/)
    expect((await dryRun({ authorization: `Bearer ${CHAT_KEY}` })).status).toBe(403)

    const ok = await dryRun({ authorization: `Bearer ${ADMIN_KEY}` })
    expect(ok.status).toBe(200)
    const history = await (await fetch(fixture.url('/api/swap/history?limit=5'))).json()
    const entry = history.entries.find(
      (e: { action: string; dry_run?: boolean }) => e.action === 'swap.start',
    )
    expect(entry).toMatchObject({ actor: 'ops-laptop', target: 'gpt-oss-120b' })
    expect(JSON.stringify(history)).not.toContain('spoofed')
  })

  it('keeps the data routes and reads open, and the dashboard says control is no longer open', async () => {
    const model = servedName(SIM_DEFAULT_RECIPE)
    const chat = await fetch(fixture.url('/v1/chat/completions'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 }),
    })
    expect(chat.status).toBe(200)
    expect((await fetch(fixture.url('/api/swap/state'))).status).toBe(200)
    const page = await (await fetch(fixture.url('/'))).text()
    expect(page).toContain('Spark Control')
    expect(page).not.toContain('data-banner="open-controls"')
  })
})
