import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { openSwapStore, type SwapStore } from '../adapters/store/store.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import { createCoordination } from '../domain/coordination/service.ts'
import { buildInventory } from '../domain/inventory.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

const T0 = Date.parse('2026-03-01T12:00:00.000Z')
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/
const stores: SwapStore[] = []

async function setup() {
  const store = await openSwapStore({ path: ':memory:' })
  stores.push(store)
  const clock = { now: T0 }
  const coordination = createCoordination({ store, clock: () => clock.now })
  const config = loadSwapControllerConfig({ SPARK1_HOST: '192.0.2.10', SPARK1_USER: 'owner' })
  const app = buildApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    coordination,
  })
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } }
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
    }
    const res = await app.request(path, init)
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  return { app, call, clock, coordination }
}

afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('POST/GET/DELETE /api/swap/lock', () => {
  it('acquires with the earlier fields, shows the state without the token, then releases with it', async () => {
    const { call } = await setup()
    const acquired = await call('POST', '/api/swap/lock', {
      holder: 'nightly',
      ttl_seconds: 120,
      note: 'reindex',
    })
    expect(acquired.status).toBe(200)
    expect(acquired.body).toMatchObject({
      held: true,
      holder: 'nightly',
      seconds_remaining: 120,
      note: 'reindex',
    })
    expect(acquired.body.acquired_at).toMatch(ISO)
    expect(acquired.body.expires_at).toMatch(ISO)
    expect(typeof acquired.body.token).toBe('string')
    const state = await call('GET', '/api/swap/lock')
    expect(state.body).toEqual({ ...acquired.body, token: undefined })
    expect(state.body).not.toHaveProperty('token')
    const released = await call('DELETE', '/api/swap/lock', undefined, {
      'x-swap-lock-token': acquired.body.token as string,
    })
    expect(released).toEqual({ status: 200, body: { held: false } })
    expect((await call('GET', '/api/swap/lock')).body).toEqual({ held: false })
  })

  it('answers 409 with the current lock for another holder, and extends with the token', async () => {
    const { call, clock } = await setup()
    const { body } = await call('POST', '/api/swap/lock', { holder: 'alice' })
    const other = await call('POST', '/api/swap/lock', { holder: 'bob' })
    expect(other.status).toBe(409)
    expect(typeof other.body.detail).toBe('string')
    expect(other.body.lock).toMatchObject({ held: true, holder: 'alice', seconds_remaining: 900 })
    expect(other.body.lock).not.toHaveProperty('token')
    clock.now += 600_000
    const same = await call('POST', '/api/swap/lock', { holder: 'alice' })
    expect(same.status).toBe(409)
    const extended = await call('POST', '/api/swap/lock', {
      holder: 'alice',
      token: body.token,
      ttl_seconds: '60',
    })
    expect(extended.status).toBe(200)
    expect(extended.body).toMatchObject({
      seconds_remaining: 60,
      acquired_at: body.acquired_at,
      token: body.token,
    })
  })

  it('clamps ttl_seconds to [1, 86400] and defaults it to 900', async () => {
    const { call, coordination } = await setup()
    const cases: Array<[unknown, number]> = [
      [0, 1],
      [1e9, 86_400],
      [-5, 1],
      [null, 900],
      [undefined, 900],
    ]
    for (const [ttl, expected] of cases) {
      const { body } = await call('POST', '/api/swap/lock', { holder: 'h', ttl_seconds: ttl })
      expect(body.seconds_remaining, String(ttl)).toBe(expected)
      coordination.releaseLock({ force: true }, { actor: 'test' })
    }
  })

  it('refuses release without the token (403 + lock) and takes it from body or query', async () => {
    const { call } = await setup()
    const token = (await call('POST', '/api/swap/lock', { holder: 'a' })).body.token as string
    const refused = await call('DELETE', '/api/swap/lock')
    expect(refused.status).toBe(403)
    expect(refused.body.lock).toMatchObject({ held: true, holder: 'a' })
    expect((await call('DELETE', '/api/swap/lock', { token: 'wrong' })).status).toBe(403)
    expect(await call('DELETE', '/api/swap/lock', { token })).toEqual({ status: 200, body: { held: false } })
    const token2 = (await call('POST', '/api/swap/lock', { holder: 'a' })).body.token as string
    expect((await call('DELETE', `/api/swap/lock?token=${encodeURIComponent(token2)}`)).body).toEqual({
      held: false,
    })
  })

  it('force-releases for a person and audits who did it', async () => {
    const { call } = await setup()
    await call('POST', '/api/swap/lock', { holder: 'script' })
    const forced = await call('DELETE', '/api/swap/lock?force=true', undefined, { 'hx-request': 'true' })
    expect(forced).toEqual({ status: 200, body: { held: false } })
    const history = await call('GET', '/api/swap/history?limit=1')
    expect(history.body.entries).toMatchObject([
      { action: 'lock.force_release', actor: 'dashboard', target: 'script', outcome: 'ok' },
    ])
  })

  it('validates with FastAPI-style {"detail": [...]} bodies', async () => {
    const { call } = await setup()
    const bads = [
      {},
      { holder: '' },
      { holder: 'x'.repeat(200) },
      { holder: 'a\nb' },
      { holder: 'a', ttl_seconds: 'soon' },
    ]
    for (const bad of bads) {
      const res = await call('POST', '/api/swap/lock', bad)
      expect(res.status, JSON.stringify(bad)).toBe(422)
      expect(Array.isArray(res.body.detail)).toBe(true)
    }
    const malformed = await (await setup()).app.request('/api/swap/lock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"holder":',
    })
    // As FastAPI answered it: a 422 list, not Hono's 400 string.
    expect(malformed.status).toBe(422)
    expect(await malformed.json()).toEqual({
      detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
    })
  })

  it('reads a body sent without Content-Type as JSON, and a JSON header with no body as no body (as FastAPI did)', async () => {
    const { app } = await setup()
    // What `requests.post(url, data=json.dumps(...))` sends: bytes, no Content-Type.
    const bare = (method: string, path: string, body: string, headers: Record<string, string> = {}) =>
      app.request(path, { method, headers, body: new TextEncoder().encode(body) })
    const taken = await bare('POST', '/api/swap/lock', '{"holder": "nightly"}')
    expect(taken.status).toBe(200)
    const { token } = (await taken.json()) as { token: string }
    // A client that sends the JSON header on every request, here with the token in the header only.
    const released = await bare('DELETE', '/api/swap/lock', '', {
      'content-type': 'application/json',
      'x-swap-lock-token': token,
    })
    expect(released.status).toBe(200)
    expect(await released.json()).toEqual({ held: false })
    const empty = await bare('POST', '/api/swap/lock', '', { 'content-type': 'application/json' })
    expect(empty.status).toBe(422)
    const text = await bare('POST', '/api/swap/lock', '{"holder": "x"}', { 'content-type': 'text/plain' })
    expect(text.status).toBe(422)
    expect(await text.json()).toMatchObject({ detail: [{ loc: ['body'], type: 'model_attributes_type' }] })
  })
})

describe('GET /api/swap/history', () => {
  it('lists audit rows newest first, bounded by ?limit=', async () => {
    const { call } = await setup()
    for (const holder of ['a', 'b', 'c'])
      await call('POST', '/api/swap/lock', { holder }, { 'x-spark-actor': `bot-${holder}` })
    const all = await call('GET', '/api/swap/history')
    const entries = all.body.entries as Array<Record<string, unknown>>
    expect(entries.map((e) => [e.action, e.outcome, e.actor])).toEqual([
      ['lock.acquire', 'refused', 'bot-c'],
      ['lock.acquire', 'refused', 'bot-b'],
      ['lock.acquire', 'ok', 'bot-a'],
    ])
    expect(entries[0]).toMatchObject({ dry_run: false, duration_ms: null, at: expect.stringMatching(ISO) })
    expect((await call('GET', '/api/swap/history?limit=2')).body.entries).toHaveLength(2)
    expect((await call('GET', '/api/swap/history?limit=99999')).status).toBe(200)
    expect((await call('GET', '/api/swap/history?limit=ten')).status).toBe(422)
    // Only some actions: what a reader looking for one kind of event asks for.
    const refusedOnly = await call('GET', '/api/swap/history?action=lock.acquire,swap.stop&limit=1')
    expect((refusedOnly.body.entries as Array<Record<string, unknown>>).map((e) => e.actor)).toEqual([
      'bot-c',
    ])
    expect((await call('GET', '/api/swap/history?action=swap.stop')).body.entries).toEqual([])
    const accepted = await call('GET', '/api/swap/history?outcome=ok&dry_run=false')
    expect((accepted.body.entries as Array<Record<string, unknown>>).map((e) => e.actor)).toEqual(['bot-a'])
    expect((await call('GET', '/api/swap/history?dry_run=true')).body.entries).toEqual([])
    expect((await call('GET', '/api/swap/history?dry_run=maybe')).status).toBe(422)
    for (const bad of ['DROP TABLE', "swap.stop'--", 'a,', ',a'])
      expect((await call('GET', `/api/swap/history?action=${encodeURIComponent(bad)}`)).status, bad).toBe(422)
  })

  it('answers 422 in problem+json for a limit below 1, naming the query field', async () => {
    const { app } = await setup()
    for (const q of ['0', '00']) {
      const res = await app.request(`/api/swap/history?limit=${q}`)
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toMatch(/problem\+json/)
      const body = (await res.json()) as { detail: string }
      expect(body.detail).toMatch(/limit: must be at least 1/)
    }
    expect((await app.request('/api/swap/history?limit=1')).status).toBe(200)
  })

  it('publishes the coordination routes in the OpenAPI document', async () => {
    const { app } = await setup()
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/swap/lock', '/api/swap/history', '/api/schedule', '/api/schedule/{id}']),
    )
  })
})
