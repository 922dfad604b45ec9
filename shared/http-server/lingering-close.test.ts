/**
 * An answer sent before the request body has all arrived closes the connection, and says so: kept
 * alive, the server closed it later when the rest of the body did not drain in time, and the
 * gateway's pool, which had already reused it for another POST, answered 502 "other side closed".
 */
import { connect } from 'node:net'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { type RunningServer, serve } from '../serve.ts'

let server: RunningServer

beforeAll(async () => {
  const app = new Hono()
  // Answers without reading the body, as a validation error or a refused content type does.
  app.post('/early', (c) => c.json({ error: 'refused' }, 400))
  app.post('/read', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))
  server = await serve({
    fetch: app.fetch,
    port: 0,
    hostname: '127.0.0.1',
    logger: silentLogger(),
    lifecycle: new AbortController(),
  })
})

afterAll(() => server.close())

/** Sends a POST declaring `declared` body bytes but only `sent` of them; resolves with the answer's head. */
function post(path: string, declared: number, sent: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.destroy()
      resolve(received.slice(0, end).toLowerCase())
    })
    socket.on('error', reject)
    const head =
      `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/octet-stream\r\n` +
      `content-length: ${declared}\r\n\r\n`
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(sent, 0x61)]))
  })
}

describe('an answer before the whole request body', () => {
  it('says Connection: close, so no client sends its next request on a connection about to close', async () => {
    const head = await post('/early', 64 * 1024, 1024)
    expect(head).toMatch(/^http\/1\.1 400 /)
    expect(head).toContain('\r\nconnection: close')
  })

  it('leaves the connection kept alive when the body was read before the answer', async () => {
    expect(await post('/read', 1024, 1024)).toContain('\r\nconnection: keep-alive')
  })
})
