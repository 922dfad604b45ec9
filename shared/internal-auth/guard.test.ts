import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { createReadiness } from '../readiness.ts'
import { createService } from '../service.ts'
import { requireInternalProof } from './guard.ts'
import { createProofChecker, PROOF_HEADER, PROOF_WINDOW_MS, signProof } from './proof.ts'
import { armInternalProof, disarmInternalProof, internalProofHeaders } from './prove.ts'

const SECRET = Buffer.from('s'.repeat(64))

function makeApp(checked: boolean) {
  const readiness = createReadiness({ service: 'svc', checks: [], cacheMs: 0 })
  const app = createService({ name: 'svc', logger: silentLogger(), readiness })
  app.get('/api/search', (c) => c.json({ actor: c.req.header('x-spark-actor') ?? null }))
  app.post('/v1/chat/completions', (c) => c.json({ ok: true }))
  app.delete('/api/swap/lock', (c) => c.json({ ok: true }))
  if (checked) requireInternalProof(app, createProofChecker(SECRET))
  return app
}

const proved = (method: string, path: string, secret = SECRET, now?: number) => ({
  method,
  headers: { [PROOF_HEADER]: signProof(secret, method, path, now), 'x-spark-actor': 'alice' },
})

describe('the internal proof guard', () => {
  it('refuses a request without a proof: 401 in the path’s error style', async () => {
    const app = makeApp(true)
    const detail = await app.request('/api/swap/lock', { method: 'DELETE' })
    expect(detail.status).toBe(401)
    expect(await detail.json()).toHaveProperty('detail')
    const openai = await app.request('/v1/chat/completions', { method: 'POST' })
    expect(openai.status).toBe(401)
    expect(await openai.json()).toMatchObject({ error: { type: 'authentication_error' } })
  })

  it('refuses a wrong secret, a malformed proof, another path’s proof, an expired and a replayed one', async () => {
    const app = makeApp(true)
    const other = Buffer.from('o'.repeat(64))
    expect((await app.request('/api/search', proved('GET', '/api/search', other))).status).toBe(401)
    expect((await app.request('/api/search', { headers: { [PROOF_HEADER]: 'v1.1.x.y' } })).status).toBe(401)
    expect((await app.request('/api/search', proved('GET', '/api/other'))).status).toBe(401)
    expect((await app.request('/api/search?q=1', proved('GET', '/api/search?q=2'))).status).toBe(401)
    expect(
      (await app.request('/api/search', { ...proved('POST', '/api/search'), method: 'GET' })).status,
    ).toBe(401)
    const old = Date.now() - PROOF_WINDOW_MS - 1000
    expect((await app.request('/api/search', proved('GET', '/api/search', SECRET, old))).status).toBe(401)
    const once = proved('GET', '/api/search')
    expect((await app.request('/api/search', once)).status).toBe(200)
    expect((await app.request('/api/search', once)).status).toBe(401)
  })

  it('serves a proven request, trust headers included, and leaves /health and /ready open', async () => {
    const app = makeApp(true)
    const res = await app.request('/api/search?q=a%20b', proved('GET', '/api/search?q=a%20b'))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ actor: 'alice' })
    expect((await app.request('/health')).status).toBe(200)
    expect((await app.request('/ready')).status).toBe(200)
    expect((await app.request('/metrics')).status).toBe(401)
  })

  it('checks nothing in an app built in-process without startService (unit tests)', async () => {
    const res = await makeApp(false).request('/api/search', { headers: { 'x-spark-actor': 'bob' } })
    expect(await res.json()).toEqual({ actor: 'bob' })
  })
})

describe('proving it', () => {
  afterEach(() => disarmInternalProof())

  it('adds a proof only once armed, and only to our services', () => {
    expect(internalProofHeaders('GET', 'http://127.0.0.1:9101/api/swap/state')).toEqual({})
    armInternalProof(SECRET, ['http://backend.example:9200'])
    const proof = internalProofHeaders('GET', 'http://backend.example:9200/api/x?y=1')[PROOF_HEADER]
    expect(createProofChecker(SECRET).check(proof, 'GET', '/api/x?y=1')).toBe('ok')
    expect(internalProofHeaders('POST', 'http://spark-1.example:8888/v1/chat/completions')).toEqual({})
  })
})
