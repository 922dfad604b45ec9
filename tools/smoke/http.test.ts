import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, errorMessage } from './http.ts'
import { SELF_SIGNED_CERT, SELF_SIGNED_KEY } from './testing/self-signed.ts'

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value))

describe('error bodies in words', () => {
  it.each([
    [{ error: { message: 'Parakeet is not answering', type: 'server_error' } }, 'Parakeet is not answering'],
    [{ detail: 'Unknown service foo' }, 'Unknown service foo'],
    [{ detail: [{ loc: ['body', 'file'], msg: 'Field required' }] }, 'Field required'],
    [{ type: 'urn:x', title: 'Conflict', detail: 'the collection exists' }, 'the collection exists'],
    [{ type: 'urn:x', title: 'Bad Gateway', status: 502 }, 'Bad Gateway'],
    [
      { error: 'ner_unavailable', reason: 'no_model', detail: 'no model' },
      'ner_unavailable (no_model): no model',
    ],
    [{ error: 'map_expired' }, 'map_expired'],
    ['<html>\n  <h1>502 Bad Gateway</h1>\n</html>', '<html> <h1>502 Bad Gateway</h1> </html>'],
  ])('%j → %s', (value, words) => {
    expect(errorMessage(body(value))).toBe(words)
  })
})

describe('smoke client', () => {
  let server: Server
  let base: string
  let lastHeaders: IncomingHttpHeaders = {}
  beforeAll(async () => {
    server = createServer((req, res) => {
      lastHeaders = req.headers
      if (req.url === '/ok') return res.end(JSON.stringify({ fine: true }))
      if (req.url === '/locked') {
        res.writeHead(401, { 'content-type': 'application/problem+json' })
        return res.end(JSON.stringify({ title: 'Unauthorized', detail: 'An API key is required.' }))
      }
      if (req.url === '/busy') {
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '5' })
        return res.end(JSON.stringify({ title: 'Service Unavailable', detail: 'Speech is not answering' }))
      }
      // /hang: never answers; the client's timeout ends it.
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('sends the key as a Bearer token and reads the answer', async () => {
    const client = createClient({ base, key: 'sk-smoke', timeoutMs: 5000 })
    const answer = await client.request('/ok')
    expect(answer.json()).toEqual({ fine: true })
    expect(lastHeaders.authorization).toBe('Bearer sk-smoke')
    await client.close()
  })

  it('fails an error status with the status, the body’s message and Retry-After', async () => {
    const client = createClient({ base, timeoutMs: 5000 })
    await expect(client.request('/busy', { json: { a: 1 } })).rejects.toThrow(
      'POST /busy answered 503 Service Unavailable: Speech is not answering (retry after 5 s)',
    )
    expect(lastHeaders.authorization).toBeUndefined()
    await expect(client.request('/locked')).rejects.toThrow(
      'GET /locked answered 401 Unauthorized: An API key is required. — this route needs an API key: --key or SPARK_CONTROL_KEY',
    )
    await client.close()
  })

  it('fails a request that outlasts its timeout, and one nobody listens for', async () => {
    const client = createClient({ base, timeoutMs: 200 })
    await expect(client.request('/hang')).rejects.toThrow(
      'GET /hang: no complete answer within 0.2 s (--timeout-s)',
    )
    await client.close()
    const closed = new URL(base)
    const idle = createServer()
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve))
    const port = (idle.address() as AddressInfo).port
    await new Promise((resolve) => idle.close(resolve))
    const nobody = createClient({ base: `http://${closed.hostname}:${port}`, timeoutMs: 5000 })
    await expect(nobody.request('/api/status')).rejects.toThrow(
      `GET /api/status: nothing is listening at 127.0.0.1:${port} (connection refused)`,
    )
    await nobody.close()
  })
})

describe('smoke client over HTTPS with a self-signed certificate', () => {
  it('refuses the certificate, saying --insecure accepts it; with --insecure it answers', async () => {
    const server = createTlsServer({ cert: SELF_SIGNED_CERT, key: SELF_SIGNED_KEY }, (_req, res) =>
      res.end('{"ok":true}'),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const strict = createClient({ base, timeoutMs: 5000 })
      await expect(strict.request('/api/status')).rejects.toThrow(
        /^GET \/api\/status: the HTTPS certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\); --insecure accepts it$/,
      )
      await strict.close()
      const insecure = createClient({ base, timeoutMs: 5000, insecure: true })
      expect((await insecure.request('/api/status')).json()).toEqual({ ok: true })
      await insecure.close()
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
