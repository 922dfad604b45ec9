/**
 * Which requests the Node fast path takes, and that what it answers is what the portable path
 * answers: same body, same headers kept and dropped, same metric. The proxy suites (proxy/*.test.ts)
 * run on this path through the harness; portable-front-door.test.ts runs them on the other one.
 */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { listen, rawRequest, readBody, startGateway } from '../testing/harness.ts'
import { trackServers } from '../testing/tracked.ts'

const track = trackServers()

/**
 * The Host clients send: plain, as @hono/node-server defines it (see node-front-door.ts). The
 * harness's own port may be one it does not count as plain (60000 and up), so it is not used.
 */
const HOST = 'spark.local:9999'

function echo() {
  return listen(async (req, res) => {
    const body = await readBody(req)
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.writeHead(200, { 'content-type': 'application/json', 'keep-alive': 'timeout=5' })
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length: body.length }))
  })
}

describe('Node fast path', () => {
  it('takes plain proxied requests and leaves everything else to the app', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    expect(gw.path).toBe('node')
    const cases: Array<[string, string, boolean]> = [
      ['/api/models?refresh=1', HOST, true],
      ['/v1/chat/completions', HOST, true],
      ['/api/swap-controller/health', HOST, true],
      // The gateway's own routes.
      ['/api/status', HOST, false],
      ['/ui/swap', HOST, false],
      // Targets and hosts the portable path normalizes first: it keeps them.
      ['/api/x/../models', HOST, false],
      ['/api/models?q=%20', HOST, false],
      ['/api/models', HOST.toUpperCase(), false],
      ['/api/models', 'spark.local:80', false],
    ]
    for (const [target, host, taken] of cases) {
      gw.fastPathTook.length = 0
      await sendAsIs(gw.url, target, { host })
      expect({ target, host, taken: gw.fastPathTook.length === 1 }).toEqual({ target, host, taken })
    }
  })

  it('answers as the portable path does, and counts the request the same way', async () => {
    const upstream = await track(echo())
    const gw = await track(startGateway({ 'swap-controller': upstream.url }))
    const headers = {
      host: HOST,
      'x-request-id': 'req-1',
      origin: `http://${HOST}`,
      'content-type': 'application/json',
      'content-length': '7',
    }
    const viaNode = await rawRequest(`${gw.url}/api/swap`, { method: 'POST', body: '{"a":1}', headers })
    const viaPortable = await gw.app.request(`${gw.url}/api/swap`, {
      method: 'POST',
      body: '{"a":1}',
      headers,
    })
    expect(gw.fastPathTook).toEqual(['/api/swap'])
    expect(viaNode.status).toBe(viaPortable.status)
    const node = JSON.parse(viaNode.body)
    const portable = await viaPortable.json()
    expect(node.length).toBe(7)
    expect(node.headers['x-request-id']).toBe('req-1')
    expect(node.headers['x-forwarded-for']).toBe('127.0.0.1')
    // The in-process request has no peer address, so no X-Forwarded-For; everything else matches.
    const { 'x-forwarded-for': _, ...rest } = node.headers
    expect(rest).toEqual(portable.headers)
    expect(viaNode.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(viaPortable.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(viaNode.headers['keep-alive']).not.toBe('timeout=5')
    expect(viaPortable.headers.get('keep-alive')).toBeNull()
    expect(viaNode.headers['x-request-id']).toBe('req-1')
    const metrics = await (await gw.app.request('/metrics')).text()
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*route="\/api\/swap\*",method="POST",status="200"[^}]*\} 2/,
    )
  })

  it('refuses a cross-site post and a disabled backend in the path’s error style', async () => {
    const upstream = await track(echo())
    const gw = await track(
      startGateway({ 'swap-controller': upstream.url }, { config: { DISABLED_SERVICES: ['vector-search'] } }),
    )
    const csrf = await rawRequest(`${gw.url}/api/swap`, {
      method: 'POST',
      body: '{}',
      headers: { host: HOST, origin: 'http://evil.example' },
    })
    expect(csrf.status).toBe(403)
    expect(JSON.parse(csrf.body).detail).toContain('Cross-site request refused')
    const off = await rawRequest(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      body: '{}',
      headers: { host: HOST },
    })
    expect(off.status).toBe(503)
    expect(JSON.parse(off.body).error.code).toBe('service_disabled')
    expect(gw.fastPathTook).toEqual(['/api/swap', '/v1/embeddings'])
  })
})

/** Sends the target exactly as written (a URL string would be normalized on the way). */
function sendAsIs(base: string, path: string, headers: Record<string, string>): Promise<number> {
  const { hostname, port } = new URL(base)
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}
