/**
 * `GET/PUT /api/settings` through the gateway app: secrets masked, values checked by their setting,
 * an environment-set knob refused, the admin scope and the same-origin guard applied, the file
 * written with unknown keys kept, and each save logged with who and which keys (never a value).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApiKeyAuth } from '../../../shared/auth/guard.ts'
import { generateKey, hashKey } from '../../../shared/auth/keys.ts'
import { memoryKeyStore } from '../../../shared/auth/store.ts'
import type { SettingsBody, SettingsUpdateAnswer } from '../../../shared/contracts/settings.ts'
import { SETTINGS_FILE } from '../../../shared/settings/file.ts'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import { createBackendReader } from '../adapters/backend-reader.ts'
import { createServiceProbe } from '../adapters/service-probe.ts'
import { createSettingsStore } from '../adapters/settings-store.ts'
import { buildGateway } from '../app.ts'
import { createUpstreamProxy } from '../proxy/upstream.ts'
import { testConfig } from '../testing/harness.ts'

const ADMIN_KEY = generateKey()
let dir: string
const closers: Array<() => unknown> = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-settings-'))
})
afterEach(async () => {
  for (const c of closers.splice(0)) await c()
  await rm(dir, { recursive: true, force: true })
})

function gateway(options: { env?: Record<string, string>; admin?: boolean } = {}) {
  const { lines, logger } = captureLog('gateway')
  const urls = Object.fromEntries(BACKEND_SERVICES.map((s) => [s, 'http://127.0.0.1:9'])) as Record<
    (typeof BACKEND_SERVICES)[number],
    string
  >
  const proxy = createUpstreamProxy({ urls, connectTimeoutMs: 100, connections: 1, retryAfterS: 1 })
  const reader = createBackendReader({ urls, timeoutMs: 100 })
  closers.push(
    () => proxy.close(),
    () => reader.close(),
  )
  const probe = createServiceProbe({ reader, urls, disabled: [], cacheMs: 0 })
  const path = join(dir, SETTINGS_FILE)
  const settings = createSettingsStore({ path, env: options.env ?? {}, logger })
  const store = memoryKeyStore([
    { name: 'ops', hash: hashKey(ADMIN_KEY), scopes: ['admin'], created_at: '2026-01-01T00:00:00Z' },
  ])
  const auth = options.admin ? createApiKeyAuth({ groups: ['admin'], store }) : undefined
  const { app } = buildGateway({ config: testConfig(), logger, proxy, reader, probe, settings, auth })
  const put = (values: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.request('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ values }),
    })
  return { app, put, path, lines }
}

describe('GET /api/settings', () => {
  it('lists every knob with its source, masks secrets, and shows environment-set knobs read-only', async () => {
    const { app, path } = gateway({ env: { VLLM_PORT: '9000' } })
    await writeFile(path, JSON.stringify({ SWAP_WEBHOOK_SECRET: 'hunter2', SPEECH_LANE_ASR: 3 }))
    const res = await app.request('/api/settings')
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('hunter2')
    const body = JSON.parse(text) as SettingsBody
    const by = (n: string) => body.settings.find((s) => s.name === n)
    expect(by('SWAP_WEBHOOK_SECRET')).toMatchObject({ value: 'set', source: 'file', secret: true })
    expect(by('SPEECH_LANE_ASR')).toMatchObject({ value: '3', source: 'file', applies: 'live' })
    expect(by('VLLM_PORT')).toMatchObject({ value: '9000', source: 'env', editable: false })
    expect(body.file).toBe(path)
  })
})

describe('PUT /api/settings', () => {
  it('saves values, removes a key with null, keeps unknown keys, and says what applies when', async () => {
    const { put, path, lines } = gateway()
    await writeFile(path, JSON.stringify({ OWNER_NOTE: 'kept', VLLM_CONTAINER: 'old_name' }))
    const res = await put({ SPEECH_LANE_TTS: 3, VLLM_CONTAINER: null, SWAP_WEBHOOK_SECRET: 's3cret' })
    expect(res.status).toBe(200)
    const answer = (await res.json()) as SettingsUpdateAnswer
    expect(answer.changed).toEqual(['SPEECH_LANE_TTS', 'VLLM_CONTAINER', 'SWAP_WEBHOOK_SECRET'])
    expect(answer.applied_now).toEqual(['SPEECH_LANE_TTS', 'SWAP_WEBHOOK_SECRET'])
    expect(answer.restart_needed).toEqual([{ service: 'swap-controller', settings: ['VLLM_CONTAINER'] }])
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      OWNER_NOTE: 'kept',
      SPEECH_LANE_TTS: '3',
      SWAP_WEBHOOK_SECRET: 's3cret',
    })
    const saved = lines.find((l) => l.includes('settings saved'))!
    expect(JSON.parse(saved)).toMatchObject({ actor: 'api', settings: answer.changed })
    expect(lines.join('')).not.toContain('s3cret')
  })

  it('refuses a value its setting does not take (422, the field named) and writes nothing', async () => {
    const { put, path } = gateway()
    const res = await put({ SPEECH_LANE_ASR: 0, SPEECH_LANE_TTS: 2 })
    expect(res.status).toBe(422)
    const body = (await res.json()) as { errors: Array<{ field: string }> }
    expect(body.errors.map((i) => i.field)).toEqual(['values.SPEECH_LANE_ASR'])
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('refuses to change a knob the environment sets (409), and a malformed body (400/422)', async () => {
    const { put } = gateway({ env: { VLLM_PORT: '9000' } })
    const res = await put({ VLLM_PORT: 8000 })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { detail: string }).detail).toMatch(/VLLM_PORT is set in the environment/)
    expect((await put({ SPEECH_LANE_ASR: { nested: 1 } })).status).toBe(422)
  })

  it('does not overwrite a settings file it cannot read (409)', async () => {
    const { put, path } = gateway()
    await writeFile(path, '{ broken')
    expect((await put({ SPEECH_LANE_ASR: 2 })).status).toBe(409)
    expect(await readFile(path, 'utf8')).toBe('{ broken')
  })

  it('needs the admin scope when keys are on, and refuses a cross-site browser request', async () => {
    const { put } = gateway({ admin: true })
    expect((await put({ SPEECH_LANE_ASR: 2 })).status).toBe(401)
    expect((await put({ SPEECH_LANE_ASR: 2 }, { 'x-api-key': ADMIN_KEY })).status).toBe(200)
    const crossSite = await put(
      { SPEECH_LANE_ASR: 2 },
      { 'x-api-key': ADMIN_KEY, origin: 'http://evil.example' },
    )
    expect(crossSite.status).toBe(403)
  })
})
