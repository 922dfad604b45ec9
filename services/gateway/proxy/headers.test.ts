/**
 * What the proxy forwards, drops and adds on the way through, the CSRF guard in front of proxied
 * control routes, and a few edge cases of the exchange.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createProofChecker } from '../../../shared/internal-auth/proof.ts'
import { armInternalProof, disarmInternalProof } from '../../../shared/internal-auth/prove.ts'
import { listen, rawRequest, startGateway, TEST_POOL_CONNECTIONS } from '../testing/harness.ts'
import { echoBackend, trackServers } from '../testing/tracked.ts'

const track = trackServers()

const echo = echoBackend

describe('forwarded headers', () => {
  it('drops hop-by-hop headers and adds X-Forwarded-*', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const res = await rawRequest(`${gw.url}/api/models?refresh=1`, {
      headers: {
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'x-hop': 'secret',
        te: 'trailers',
        'proxy-authorization': 'Basic eA==',
        'x-forwarded-for': '192.0.2.7',
        'x-app': 'kept',
      },
    })
    expect(res.status).toBe(200)
    const seen = JSON.parse(res.body)
    expect(seen.url).toBe('/api/models?refresh=1')
    for (const name of ['keep-alive', 'x-hop', 'te', 'proxy-authorization', 'transfer-encoding', 'upgrade']) {
      expect(seen.headers[name]).toBeUndefined()
    }
    expect(seen.headers['x-app']).toBe('kept')
    expect(seen.headers['x-forwarded-for']).toBe('192.0.2.7, 127.0.0.1')
    expect(seen.headers['x-forwarded-proto']).toBe('http')
    expect(seen.headers['x-forwarded-host']).toBe(new URL(gw.url).host)
    expect(seen.headers.host).toBe(new URL(upstream.url).host)
  })

  it('drops hop-by-hop response headers and keeps repeated ones apart', async () => {
    const upstream = await track(
      listen((req, res) => {
        req.resume()
        res.setHeader('set-cookie', ['a=1', 'b=2'])
        res.setHeader('connection', 'x-internal')
        res.setHeader('x-internal', 'secret')
        res.setHeader('proxy-authenticate', 'Basic')
        res.setHeader('x-kept', 'yes')
        res.end('ok')
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const res = await rawRequest(`${gw.url}/api/schedule`)
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(res.headers['x-internal']).toBeUndefined()
    expect(res.headers['proxy-authenticate']).toBeUndefined()
    expect(res.headers['x-kept']).toBe('yes')
    expect(res.body).toBe('ok')
  })

  it('forwards a valid X-Request-Id and replaces a hostile one', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const given = await rawRequest(`${gw.url}/api/swap/lock`, { headers: { 'x-request-id': 'app-42.a:b' } })
    expect(JSON.parse(given.body).headers['x-request-id']).toBe('app-42.a:b')
    expect(given.headers['x-request-id']).toBe('app-42.a:b')
    const hostile = await rawRequest(`${gw.url}/api/swap/lock`, {
      headers: { 'x-request-id': 'a b;rm -rf /' },
    })
    const forwarded = JSON.parse(hostile.body).headers['x-request-id']
    expect(forwarded).toMatch(/^[0-9a-f-]{36}$/)
    expect(hostile.headers['x-request-id']).toBe(forwarded)
  })

  it('sends the standard endpoints of a service to its root', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'connectivity-monitor': upstream.url }))
    const res = await rawRequest(`${gw.url}/api/connectivity-monitor/ready`)
    expect(JSON.parse(res.body).url).toBe('/ready')
  })

  it('answers HEAD and 204 without a body', async () => {
    const upstream = await track(
      listen((req, res) => {
        req.resume()
        res.writeHead(req.method === 'HEAD' ? 200 : 204, { 'x-seen': req.method })
        res.end()
      }),
    )
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const head = await rawRequest(`${gw.url}/api/models`, { method: 'HEAD' })
    expect(head).toMatchObject({ status: 200, body: '' })
    expect(head.headers['x-seen']).toBe('HEAD')
    const empty = await rawRequest(`${gw.url}/api/swap/lock`, { method: 'DELETE' })
    expect(empty).toMatchObject({ status: 204, body: '' })
  })
})

describe('CSRF guard on proxied routes', () => {
  async function setup() {
    const calls: string[] = []
    const upstream = await track(echo(calls))
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    return { calls, gw, self: `http://${new URL(gw.url).host}` }
  }

  it('refuses a cross-origin POST to /api/swap with 403 in the earlier style', async () => {
    const { calls, gw } = await setup()
    const res = await rawRequest(`${gw.url}/api/swap`, {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://evil.example' },
    })
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).detail).toContain('Cross-site request refused')
    expect(calls).toEqual([])
  })

  it('passes same-origin and header-less requests', async () => {
    const { calls, gw, self } = await setup()
    expect(
      (await rawRequest(`${gw.url}/api/swap`, { method: 'POST', body: '{}', headers: { origin: self } }))
        .status,
    ).toBe(200)
    expect(
      (
        await rawRequest(`${gw.url}/api/swap`, {
          method: 'POST',
          body: '{}',
          headers: { referer: `${self}/ui/swap` },
        })
      ).status,
    ).toBe(200)
    expect((await rawRequest(`${gw.url}/api/swap`, { method: 'POST', body: '{}' })).status).toBe(200)
    expect(calls).toHaveLength(3)
  })

  it('guards the new /api/<service>/ routes too', async () => {
    const { calls, gw } = await setup()
    const res = await rawRequest(`${gw.url}/api/swap-controller/recipes`, {
      method: 'PUT',
      body: '{}',
      headers: { origin: 'http://evil.example' },
    })
    expect(res.status).toBe(403)
    expect(res.headers['content-type']).toBe('application/problem+json')
    expect(calls).toEqual([])
  })

  it('leaves data routes alone', async () => {
    const { gw } = await setup()
    const res = await rawRequest(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
      headers: { origin: 'http://evil.example' },
    })
    expect(res.status).toBe(200)
  })
})

it('answers 400, not 502, when the client body cannot be read', async () => {
  const upstream = await track(echo())
  const gw = await track(startGateway({ 'swap-controller': upstream.url }))
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1, 2]))
      controller.error(new Error('client went away'))
    },
  })
  const res = await gw.app.request('/api/swap', {
    method: 'POST',
    body: broken,
    headers: { 'content-length': '10' },
    duplex: 'half',
  } as RequestInit)
  expect(res.status).toBe(400)
  expect((await res.json()).detail).toBe('The request body could not be read.')
})

it('still answers after a burst of aborted requests', async () => {
  // The backend keeps the burst waiting; once the gateway's pool is full (the rest of the burst
  // queued in the gateway), every client gives up mid-request.
  const waiting: unknown[] = []
  let answer = false
  const upstream = await track(listen((_req, res) => (answer ? res.end('late') : waiting.push(res))))
  const gw = await track(startGateway({ 'swap-controller': upstream.url }))
  const { request } = await import('undici')
  const burst = Array.from({ length: 20 }, () => {
    const c = new AbortController()
    return { c, sent: request(`${gw.url}/api/models`, { signal: c.signal }).catch(() => null) }
  })
  await expect.poll(() => waiting.length).toBe(TEST_POOL_CONNECTIONS)
  for (const { c } of burst) c.abort()
  await Promise.all(burst.map((b) => b.sent))
  answer = true
  expect((await rawRequest(`${gw.url}/api/models`)).body).toBe('late')
})

describe('trust headers and the internal proof', () => {
  afterEach(() => disarmInternalProof())

  it('never forwards a client’s x-spark-* and proves the secret on every proxied request', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const secret = Buffer.from('k'.repeat(64))
    armInternalProof(secret, [new URL(upstream.url).origin])
    const checker = createProofChecker(secret)
    for (const path of ['/api/models?refresh=1', '/api/swap/state']) {
      const res = await rawRequest(`${gw.url}${path}`, {
        headers: {
          'x-spark-internal': 'v1.1.forged',
          'x-spark-may-swap': 'yes',
          'x-spark-anything': 'later',
        },
      })
      const seen = JSON.parse(res.body)
      expect(seen.headers['x-spark-may-swap']).toBeUndefined()
      expect(seen.headers['x-spark-anything']).toBeUndefined()
      expect(checker.check(seen.headers['x-spark-internal'], 'GET', path)).toBe('ok')
    }
  })
})
