/**
 * Slow clients are dropped, steady ones are not. The gateway runs with 500 ms timeouts
 * (HTTP_HEADERS_TIMEOUT_MS, HTTP_BODY_STALL_MS) to prove the mechanism quickly; the defaults
 * (dropped within 15 s) are checked in shared/http-server/slow-clients.test.ts. Before, a slow head
 * lived 53 s and a trickling body was never dropped.
 */
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { standInUpstream, startAlone } from '../support/lifecycle.ts'

const TIMEOUT_MS = 500
/** Dropped within the timeout, two checks, and the slowness of a shared machine. */
const DROPPED_WITHIN_MS = 4 * TIMEOUT_MS + 1000

/** A raw connection to `url`; `ended` resolves with what it read and how long it lived. */
function rawClient(url: string) {
  const { hostname, port } = new URL(url)
  const socket: Socket = connect(Number(port), hostname)
  const opened = Date.now()
  let received = ''
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1')
  })
  socket.on('error', () => undefined)
  const ended = new Promise<{ received: string; ms: number }>((resolve) =>
    socket.once('close', () => resolve({ received, ms: Date.now() - opened })),
  )
  return { socket, ended }
}

/** Writes `piece` every `everyMs` until the socket closes. */
function trickle(socket: Socket, piece: string | Buffer, everyMs: number, times = Number.POSITIVE_INFINITY) {
  let sent = 0
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= times) return clearInterval(timer)
    socket.write(piece)
    sent++
  }, everyMs)
  socket.once('close', () => clearInterval(timer))
}

describe('slow clients', async () => {
  // Answers once the whole body is in, with its size; a chat request waits a moment first.
  const upstream = await standInUpstream((req, res) => {
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
    })
    req.once('end', () => {
      const wait = req.url === '/v1/chat/completions' ? 3 * TIMEOUT_MS : 0
      setTimeout(() => res.end(JSON.stringify({ size })), wait)
    })
  })
  const gateway = await startAlone('gateway', {
    SWAP_CONTROLLER_URL: upstream.url,
    HTTP_HEADERS_TIMEOUT_MS: String(TIMEOUT_MS),
    HTTP_BODY_STALL_MS: String(TIMEOUT_MS),
  })
  const host = `host: ${new URL(gateway.url).host}\r\n`

  it('a head trickling in a byte at a time is dropped after the headers timeout', async () => {
    const client = rawClient(gateway.url)
    client.socket.write(`GET /health HTTP/1.1\r\n${host}`)
    trickle(client.socket, 'x', 50)
    const { ms } = await client.ended
    expect(ms).toBeLessThan(DROPPED_WITHIN_MS)
  })

  it('a connection that sends nothing is dropped after the headers timeout', async () => {
    const { ms } = await rawClient(gateway.url).ended
    expect(ms).toBeLessThan(DROPPED_WITHIN_MS)
  })

  it('a body trickling below the minimum rate is dropped', async () => {
    const client = rawClient(gateway.url)
    client.socket.write(`POST /v1/completions HTTP/1.1\r\n${host}content-length: 100000\r\n\r\n`)
    trickle(client.socket, '0123456789', 50)
    const { received, ms } = await client.ended
    expect(ms).toBeLessThan(DROPPED_WITHIN_MS)
    expect(received).not.toContain(' 200 ')
  })

  it('a steady upload over many timeouts goes through whole', async () => {
    const client = rawClient(gateway.url)
    const piece = Buffer.alloc(8 * 1024, 0x20)
    const pieces = Math.ceil((4 * TIMEOUT_MS) / 50)
    client.socket.write(
      `POST /v1/completions HTTP/1.1\r\n${host}connection: close\r\ncontent-length: ${pieces * piece.byteLength}\r\n\r\n`,
    )
    trickle(client.socket, piece, 50, pieces)
    const { received, ms } = await client.ended
    expect(received).toMatch(/^HTTP\/1\.1 200 /)
    expect(received).toContain(`{"size":${pieces * piece.byteLength}}`)
    expect(ms).toBeGreaterThan(3 * TIMEOUT_MS)
  })

  it('an answer that takes longer than the timeouts (a chat request waiting on its model) is not cut', async () => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [] }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ size: expect.any(Number) })
  })
})
