/**
 * Rate limits at the gateway (domain/rate-limit.ts): over a limit, 429 with `Retry-After` in the
 * path's own error style and nothing reaches a backend; probes never count; with the settings
 * blank nothing changes.
 */
import { describe, expect, it } from 'vitest'
import { createApiKeyAuth } from '../../shared/auth/guard.ts'
import { generateKey, hashKey } from '../../shared/auth/keys.ts'
import { memoryKeyStore } from '../../shared/auth/store.ts'
import { createRateLimiter } from './domain/rate-limit.ts'
import { rawRequest, startGateway } from './testing/harness.ts'
import { echoBackend, trackServers } from './testing/tracked.ts'

const track = trackServers()
const ONE = { points: 1, durationS: 60 }

async function limitedStack(auth?: ReturnType<typeof createApiKeyAuth>) {
  const calls: string[] = []
  const upstream = await track(echoBackend(calls))
  const backends = {
    'swap-controller': upstream.url,
    'vector-search': upstream.url,
    'redaction-gateway': upstream.url,
  }
  const limiter = createRateLimiter({
    RATE_LIMITS: { chat: ONE, search: ONE, redaction: ONE, admin: ONE, default: ONE },
    RATE_LIMIT_PER_ADDRESS: {},
  })
  const gw = await track(startGateway(backends, { limiter, auth }))
  return { gw, calls }
}

const post = (url: string, body = '{}', headers: Record<string, string> = {}) =>
  rawRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('rate limits at the gateway', () => {
  it('answers the second request of each group 429 with Retry-After, in the path’s error style', async () => {
    const { gw, calls } = await limitedStack()
    const cases: Array<[string, 'GET' | 'POST', (body: Record<string, unknown>) => unknown]> = [
      ['/v1/chat/completions', 'POST', (b) => (b.error as { type: string }).type],
      ['/v1/embeddings', 'POST', (b) => (b.error as { type: string }).type],
      ['/scrub', 'POST', (b) => b.error],
      ['/api/swap/stop', 'POST', (b) => typeof b.detail],
      ['/ui/nowhere', 'GET', (b) => b.title],
    ]
    const expected = ['rate_limit_error', 'rate_limit_error', 'rate_limited', 'string', 'Too Many Requests']
    const seen: unknown[] = []
    for (const [path, method] of cases) {
      const first = method === 'POST' ? await post(`${gw.url}${path}`) : await rawRequest(`${gw.url}${path}`)
      expect(first.status, path).not.toBe(429)
    }
    const forwarded = calls.length
    for (const [path, method, styleOf] of cases) {
      const res = method === 'POST' ? await post(`${gw.url}${path}`) : await rawRequest(`${gw.url}${path}`)
      expect(res.status, path).toBe(429)
      expect(Number(res.headers['retry-after']), path).toBeGreaterThanOrEqual(59)
      seen.push(styleOf(JSON.parse(res.body)))
    }
    expect(seen).toEqual(expected)
    // The refused requests never reached a backend.
    expect(calls.length).toBe(forwarded)
  })

  it('never limits /health, /ready, discovery or a backend’s own probes', async () => {
    const { gw } = await limitedStack()
    for (let i = 0; i < 3; i++) {
      for (const path of [
        '/health',
        '/ready',
        '/api/endpoints',
        '/api/swap-controller/health',
        '/openapi.json',
      ])
        expect((await rawRequest(`${gw.url}${path}`)).status, path).not.toBe(429)
    }
  })

  it('counts each key on its own: one key over its limit leaves another key untouched', async () => {
    const a = generateKey()
    const b = generateKey()
    const store = memoryKeyStore([
      { name: 'app-a', hash: hashKey(a), scopes: ['chat'], created_at: '2026-01-01T00:00:00Z' },
      { name: 'app-b', hash: hashKey(b), scopes: ['chat'], created_at: '2026-01-01T00:00:00Z' },
    ])
    const { gw } = await limitedStack(createApiKeyAuth({ groups: ['chat'], store }))
    const chat = (key: string) =>
      post(`${gw.url}/v1/chat/completions`, '{}', { authorization: `Bearer ${key}` })
    expect((await chat(a)).status).toBe(200)
    expect((await chat(a)).status).toBe(429)
    expect((await chat(b)).status).toBe(200)
  })

  it('changes nothing with the settings blank (the default)', async () => {
    const calls: string[] = []
    const upstream = await track(echoBackend(calls))
    const limiter = createRateLimiter({ RATE_LIMITS: {}, RATE_LIMIT_PER_ADDRESS: {} })
    const gw = await track(startGateway({ 'swap-controller': upstream.url }, { limiter }))
    for (let i = 0; i < 5; i++) expect((await post(`${gw.url}/v1/chat/completions`)).status).toBe(200)
    expect(calls).toHaveLength(5)
  })
})
