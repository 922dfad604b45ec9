/**
 * Hostile paths, methods, headers and bodies, generated from a fixed seed so a failure replays.
 * Whatever is sent, the gateway answers, and never with a 5xx of its own: the only 5xx allowed are
 * the documented upstream ones (502, 503, 504).
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../shared/random.ts'
import { type GatewayUnderTest, type Listening, listen, readBody, startGateway } from './testing/harness.ts'

const BASES = [
  '/',
  '/api/swap',
  '/v1/chat/completions',
  '/api/audio/label-merge',
  '/api/status',
  '/api/endpoints',
  '/v1/models',
  '/docs',
  '/openapi.json',
  '/api/speech-proxy/ready',
  '/api/search',
  '/scrub',
  '/ui/swap',
  '/static/x.css',
  '/api/gateway/openapi.json',
  '/v1/embeddings',
]
const SEGMENTS = [
  '..',
  '%2e%2e',
  '%00',
  '%ff',
  '%',
  ';x',
  "'",
  '%22',
  '%3Cscript%3E',
  '~',
  '%C3%A9',
  '%E2%80%AE',
  '',
  'a'.repeat(3000),
  '__proto__',
  'constructor',
  '%2F',
  '?a=%zz&b',
  `?${'q'.repeat(2000)}`,
  '#frag',
]
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'FOO']
const HEADER_VALUES: Record<string, string[]> = {
  origin: ['null', 'http://[::1]', 'javascript:alert(1)', 'http://a@evil.example', 'http://localhost', ''],
  referer: ['::::', 'http://evil.example/x', 'http://localhost/ui'],
  'x-request-id': ['a'.repeat(500), 'a b c', '../../etc/passwd', '\u00e9\u00e9', ''],
  'content-type': [
    'application/json',
    'multipart/form-data; boundary=',
    'text/event-stream',
    'x'.repeat(1000),
  ],
  'x-forwarded-for': ['not-an-ip', `1.1.1.1, ${'2.2.2.2, '.repeat(200)}`],
  'x-forwarded-host': ['evil.example', ''],
  accept: ['*/*', 'text/html', 'application/json;q=abc'],
}
const BODIES = [
  '',
  '{',
  `{"a":${'['.repeat(5000)}`,
  'null',
  '\u0000\u0001\u0002',
  'x'.repeat(100_000),
  '{"model":"m","messages":[]}',
]

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!

function hostilePath(r: () => number): string {
  let path = pick(r, BASES)
  const extra = Math.floor(r() * 3)
  for (let i = 0; i < extra; i++) path += (path.endsWith('/') ? '' : '/') + pick(r, SEGMENTS)
  return path
}

const allowed = (status: number) => status < 500 || status === 502 || status === 503 || status === 504

let backend: Listening
let gw: GatewayUnderTest

beforeAll(async () => {
  backend = await listen(async (req, res) => {
    await readBody(req)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
  // vector-search and the monitor stay down: their routes must answer 503, never 500.
  gw = await startGateway({
    'swap-controller': backend.url,
    'speech-proxy': backend.url,
    'redaction-gateway': backend.url,
  })
})
afterAll(async () => {
  await gw.close()
  await backend.close()
})

describe('fuzz', () => {
  it('answers 400 hostile requests in-process without an internal error', async () => {
    const r = seededRandom(20260101)
    const failures: string[] = []
    for (let i = 0; i < 400; i++) {
      const method = pick(r, METHODS)
      const path = hostilePath(r)
      const headers = new Headers()
      for (const [name, values] of Object.entries(HEADER_VALUES)) {
        if (r() < 0.3) headers.set(name, pick(r, values))
      }
      const withBody = method !== 'GET' && method !== 'HEAD'
      let res: Response
      try {
        res = await gw.app.request(`http://localhost${path}`, {
          method,
          headers,
          body: withBody ? pick(r, BODIES) : undefined,
        })
      } catch (err) {
        failures.push(`${method} ${path.slice(0, 80)} threw ${(err as Error).message}`)
        continue
      }
      await res.arrayBuffer()
      if (!allowed(res.status)) failures.push(`${method} ${path.slice(0, 80)} → ${res.status}`)
    }
    expect(failures).toEqual([])
  })

  it('answers raw, malformed HTTP without a 5xx and keeps serving', async () => {
    // [request line and headers, body]; every request ends with `Connection: close`.
    const raw: Array<[string, string]> = [
      ['GET /api/../swap HTTP/1.1', ''],
      ['GET /%00/%ff HTTP/1.1', ''],
      ['GET * HTTP/1.1', ''],
      ['GET http://evil.example/api/models HTTP/1.1', ''],
      ['POST /api/swap HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6', 'hello'],
      ['POST /api/swap HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3', '0\r\n\r\n'],
      ['POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: gzip, chunked', '0\r\n\r\n'],
      ['POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked', '5\r\nhello\r\n0\r\n\r\n'],
      [`GET /api/status HTTP/1.1\r\nX-Big: ${'h'.repeat(20_000)}`, ''],
      [`GET /${'a/'.repeat(4000)} HTTP/1.1`, ''],
      ['POST /api/swap HTTP/1.1\r\nOrigin: http://\u00e9vil.example\r\nContent-Length: 2', '{}'],
      ['DELETE /api/swap/lock HTTP/1.1\r\nOrigin: http://evil.example', ''],
      ['POST /api/audio/x HTTP/1.1\r\nContent-Length: 99999999999999999999', ''],
      ['POST /api/audio/x HTTP/1.1\r\nContent-Length: 300000000', 'short'],
      ['GET /v1/audio/../../api/swap HTTP/1.1', ''],
      ['GET /api/swap HTTP/1.1\r\nConnection: x-request-id, host, content-length', ''],
      ['GET /api/speech-proxy/%2e%2e/%2e%2e/api/swap HTTP/1.1', ''],
      ['POST /scrub HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2', '{}'],
    ]
    const port = Number(new URL(gw.url).port)
    const seen: number[] = []
    for (const [head, body] of raw) {
      const status = await sendRaw(port, `${head}\r\nHost: 127.0.0.1:${port}`, body)
      seen.push(status)
      expect(allowed(status), `${head.slice(0, 60)} → ${status}`).toBe(true)
    }
    // Not all refused at the door: the guard and the proxy saw some of them.
    expect(seen).toEqual(expect.arrayContaining([200, 403]))
    expect((await gw.app.request('/api/status')).status).toBe(200)
  })
})

/** Sends one raw request and returns the status code (0 when the server just closed). */
function sendRaw(port: number, head: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    socket.setTimeout(5000, () => socket.destroy())
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1')
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data)
      if (match) {
        resolve(Number(match[1]))
        socket.destroy()
      }
    })
    socket.on('close', () => resolve(0))
    socket.on('error', () => resolve(0))
    socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`)
  })
}
