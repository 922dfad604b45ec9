/**
 * `/api/keys` (routes/keys.ts) over the real key file: a key is shown once, when created; a list
 * never shows a key or its digest; usage counts what the gateway accepted; a revoked key is refused
 * within the file's re-read; the audit names the key, never shows it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryAuditRecorder } from '../../../shared/audit/recorder.ts'
import { createApiKeyAuth } from '../../../shared/auth/guard.ts'
import { generateKey, hashKey, type Scope } from '../../../shared/auth/keys.ts'
import { openFileKeyStore, writeKeyFile } from '../../../shared/auth/store.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { type KeyUsage, openKeyUsage } from '../adapters/key-usage.ts'
import { createKeysAdmin } from '../adapters/keys-admin.ts'
import { rawRequest, startGateway } from '../testing/harness.ts'
import { echoBackend, trackServers } from '../testing/tracked.ts'

const track = trackServers()
const ADMIN_KEY = generateKey()
const closers: Array<() => unknown> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function keysStack(groups: Scope[]) {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-keys-'))
  const path = join(dir, 'api-keys.json')
  await writeKeyFile(path, [
    { name: 'owner-laptop', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
  ])
  const usage: KeyUsage = await openKeyUsage({ path: join(dir, 'api-keys.usage.json'), flushMs: 60_000 })
  const store = await openFileKeyStore({ path, recheckMs: 50 })
  closers.push(
    () => store.close(),
    () => usage.close(),
  )
  const auth = groups.length ? createApiKeyAuth({ groups, store, onUse: usage.note }) : undefined
  const audit = memoryAuditRecorder()
  const keys = createKeysAdmin({ path, usage, audit, logger: silentLogger() })
  const upstream = await track(echoBackend())
  const gw = await track(startGateway({ 'swap-controller': upstream.url }, { auth, keys }))
  return { gw, audit, path }
}

const call = (url: string, method: string, body?: unknown, key: string | null = ADMIN_KEY) =>
  rawRequest(url, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('/api/keys', () => {
  it('creates a key shown once, lists it without the key, counts its use, and revokes it', async () => {
    const { gw, audit, path } = await keysStack(['admin', 'chat'])
    const created = await call(`${gw.url}/api/keys`, 'POST', { name: 'crm-app', scopes: ['chat'] })
    expect(created.status).toBe(201)
    const { key, record } = JSON.parse(created.body)
    expect(key).toMatch(/^sc_[\w-]{43}$/)
    expect(record).toMatchObject({ name: 'crm-app', scopes: ['chat'], last_used_at: null, request_count: 0 })
    expect(readFileSync(path, 'utf8')).not.toContain(key)

    const chat = () => call(`${gw.url}/v1/chat/completions`, 'POST', {}, key)
    await expect.poll(async () => (await chat()).status, { timeout: 3000 }).toBe(200)
    const listed = await call(`${gw.url}/api/keys`, 'GET')
    expect(listed.status).toBe(200)
    expect(listed.body).not.toContain(key)
    expect(listed.body).not.toContain('sha256')
    const crm = JSON.parse(listed.body).keys.find((k: { name: string }) => k.name === 'crm-app')
    expect(crm.request_count).toBeGreaterThanOrEqual(1)
    expect(Date.parse(crm.last_used_at)).toBeGreaterThan(Date.now() - 60_000)

    expect((await call(`${gw.url}/api/keys/crm-app`, 'DELETE')).status).toBe(204)
    await expect.poll(async () => (await chat()).status, { timeout: 3000 }).toBe(401)
    expect(audit.entries.map((e) => [e.action, e.target, e.outcome, e.actor])).toEqual([
      ['keys.create', 'crm-app', 'ok', 'owner-laptop'],
      ['keys.revoke', 'crm-app', 'ok', 'owner-laptop'],
    ])
    expect(JSON.stringify(audit.entries)).not.toContain(key)
  })

  it('needs the admin scope for every method, reads included, while admin needs a key', async () => {
    const { gw } = await keysStack(['admin'])
    expect((await call(`${gw.url}/api/keys`, 'GET', undefined, null)).status).toBe(401)
    expect((await call(`${gw.url}/api/keys`, 'POST', { name: 'x', scopes: ['chat'] }, null)).status).toBe(401)
    expect((await call(`${gw.url}/api/keys/owner-laptop`, 'DELETE', undefined, null)).status).toBe(401)
  })

  it('answers 404 for an unknown key, 409 for a name taken, 422 for a bad name or scope', async () => {
    const { gw, audit } = await keysStack(['admin'])
    expect((await call(`${gw.url}/api/keys/nobody`, 'DELETE')).status).toBe(404)
    const taken = await call(`${gw.url}/api/keys`, 'POST', { name: 'owner-laptop', scopes: ['admin'] })
    expect(taken.status).toBe(409)
    expect(taken.headers['content-type']).toContain('application/problem+json')
    expect((await call(`${gw.url}/api/keys`, 'POST', { name: '../x', scopes: ['chat'] })).status).toBe(422)
    expect((await call(`${gw.url}/api/keys`, 'POST', { name: 'ok', scopes: ['root'] })).status).toBe(422)
    expect((await call(`${gw.url}/api/keys`, 'POST', { name: 'ok', scopes: [] })).status).toBe(422)
    expect(audit.entries.map((e) => `${e.action} ${e.outcome}`)).toEqual([
      'keys.revoke refused',
      'keys.create refused',
    ])
  })

  it('with keys off, is open like every control route, still behind the same-origin guard', async () => {
    const { gw } = await keysStack([])
    const first = await call(`${gw.url}/api/keys`, 'POST', { name: 'first-admin', scopes: ['admin'] }, null)
    expect(first.status).toBe(201)
    const crossSite = await rawRequest(`${gw.url}/api/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'sneaky', scopes: ['admin'] }),
    })
    expect(crossSite.status).toBe(403)
    const names = JSON.parse((await call(`${gw.url}/api/keys`, 'GET', undefined, null)).body).keys.map(
      (k: { name: string }) => k.name,
    )
    expect(names).toEqual(['owner-laptop', 'first-admin'])
  })
})

describe('/api/keys and a broken key file', () => {
  it('answers 409 naming the file, never a 500, and a fresh data folder gets its first key', async () => {
    const { gw, path } = await keysStack([])
    writeFileSync(path, '{ not json')
    const res = await call(`${gw.url}/api/keys`, 'GET', undefined, null)
    expect(res.status).toBe(409)
    expect(JSON.parse(res.body).detail).toContain('not valid JSON')

    const dir = join(mkdtempSync(join(tmpdir(), 'gateway-keys-')), 'not-yet')
    const usage = await openKeyUsage({ path: join(dir, 'usage.json'), flushMs: 60_000 })
    closers.push(() => usage.close())
    const keys = createKeysAdmin({
      path: join(dir, 'api-keys.json'),
      usage,
      audit: memoryAuditRecorder(),
      logger: silentLogger(),
    })
    expect((await keys.create('first', ['admin'], 'api')).record.name).toBe('first')
  })
})
