/**
 * Key management and rate limits on the real stack (simulated cluster), with `API_KEY_GROUPS=admin,chat`
 * and `RATE_LIMITS=chat=3/60s`: a key created through `/api/keys` works, its use shows in the list,
 * the fourth chat request of a minute gets 429 with `Retry-After` while another key is unaffected,
 * and a revoked key gets 401.
 */
import { mkdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generateKey, hashKey } from '../../shared/auth/keys.ts'
import { writeKeyFile } from '../../shared/auth/store.ts'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const ADMIN_KEY = generateKey()
const keysDir = `${REPO_ROOT}.data/test-keys-limits-keys-${process.pid}`
const keysFile = `${keysDir}/api-keys.json`
mkdirSync(keysDir, { recursive: true })
await writeKeyFile(keysFile, [
  { name: 'owner-laptop', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
])

const fixture = useDemo({
  name: 'keys-limits',
  env: { API_KEY_GROUPS: 'admin,chat', API_KEYS_FILE: keysFile, RATE_LIMITS: 'chat=3/60s' },
})

const asAdmin = (path: string, method = 'GET', body?: unknown) =>
  fetch(fixture.url(path), {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

const createKey = async (name: string): Promise<string> => {
  const res = await asAdmin('/api/keys', 'POST', { name, scopes: ['chat'] })
  expect(res.status).toBe(201)
  return (await res.json()).key
}

const chat = (key: string) =>
  fetch(fixture.url('/v1/chat/completions'), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: servedName(SIM_DEFAULT_RECIPE),
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 3,
    }),
  })

interface Listed {
  name: string
  last_used_at: string | null
  request_count: number
}
const listed = async (name: string): Promise<Listed | undefined> =>
  ((await (await asAdmin('/api/keys')).json()).keys as Listed[]).find((k) => k.name === name)

describe('keys and limits on the demo', () => {
  it('creates a key, counts its use, limits it to 3 a minute (another key unaffected), revokes it', async () => {
    const crm = await createKey('crm-app')
    const other = await createKey('other-app')
    // The gateway follows the key file within about 2 s; refusals (401) do not count against a limit.
    await expect.poll(async () => (await chat(crm)).status, { timeout: 10_000 }).toBe(200)
    const used = await listed('crm-app')
    expect(used?.request_count).toBe(1)
    expect(Date.parse(used?.last_used_at ?? '')).toBeGreaterThan(Date.now() - 60_000)
    expect(JSON.stringify(await (await asAdmin('/api/keys')).json())).not.toContain(crm)

    expect((await chat(crm)).status).toBe(200)
    expect((await chat(crm)).status).toBe(200)
    const over = await chat(crm)
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await over.json()).error.type).toBe('rate_limit_error')
    await expect.poll(async () => (await chat(other)).status, { timeout: 10_000 }).toBe(200)
    expect((await listed('crm-app'))?.request_count).toBe(4)

    expect((await asAdmin('/api/keys/crm-app', 'DELETE')).status).toBe(204)
    await expect.poll(async () => (await chat(crm)).status, { timeout: 10_000 }).toBe(401)
    expect(await listed('crm-app')).toBeUndefined()
  })

  it('never limits /health and keeps the key list behind the admin scope', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(fixture.url('/health'))).status).toBe(200)
    expect((await fetch(fixture.url('/api/keys'))).status).toBe(401)
  })
})
