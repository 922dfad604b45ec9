/**
 * An over-limit upload gets its 413 before the connection closes: 50 clients at once each send an
 * 11 MB body over a raw socket (the limit is 10 MB) and every one reads the status line, whether
 * its own write then fails or not. Under load, 14 of 50 saw only a broken pipe: the server closed
 * half a second after its answer with the rest of the body unread, and a client that had not read
 * the answer by then lost it to the reset. Here each client reads 0.8 s late, as a busy one does.
 */
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { internalProver } from '../support/internal-proof.ts'
import { standInUpstream, startAlone, TEST_INTERNAL_SECRET } from '../support/lifecycle.ts'

const BODY = Buffer.alloc(11 * 1024 * 1024, 0x20)
const CLIENTS = 50
/** How late each client starts reading (a client busy elsewhere). */
const READ_LATE_MS = 800

interface Outcome {
  /** What the client read before its connection ended. */
  received: string
  /** How it ended: 'close', or the socket's error code (EPIPE, ECONNRESET). */
  ending: string
}

function oversizeUpload(url: string, path: string, headers: Record<string, string> = {}): Promise<Outcome> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    let received = ''
    let ending = 'close'
    const socket = connect(Number(port), hostname)
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      ending = err.code ?? err.message
    })
    socket.on('close', () => resolve({ received, ending }))
    const head = Object.entries({
      host: `${hostname}:${port}`,
      'content-type': 'application/json',
      'content-length': String(BODY.byteLength),
      ...headers,
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')
    socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`)
    socket.write(BODY)
    socket.pause()
    setTimeout(() => socket.resume(), READ_LATE_MS)
  })
}

async function fiftyAtOnce(upload: () => Promise<Outcome>) {
  const outcomes = await Promise.all(Array.from({ length: CLIENTS }, upload))
  const without413 = outcomes.filter((o) => !o.received.startsWith('HTTP/1.1 413 '))
  expect(
    without413.map((o) => `${o.ending}: ${JSON.stringify(o.received.slice(0, 40))}`),
    'clients that did not read a 413',
  ).toEqual([])
  for (const o of outcomes) expect(o.received.toLowerCase()).toContain('\r\nconnection: close\r\n')
}

describe('an over-limit upload', () => {
  it('through the gateway (its proxy and its own routes), 50 clients at once: every one reads its 413', async () => {
    const upstream = await standInUpstream((req, res) => {
      req.resume()
      req.once('end', () => res.end('{}'))
    })
    const gateway = await startAlone('gateway', { SWAP_CONTROLLER_URL: upstream.url })
    await fiftyAtOnce(() => oversizeUpload(gateway.url, '/v1/chat/completions'))
    await fiftyAtOnce(() => oversizeUpload(gateway.url, '/ui/unlock'))
  }, 60_000)

  it('on a service, 50 clients at once: every one reads its 413', async () => {
    const monitor = await startAlone('connectivity-monitor')
    const prove = internalProver({ dataDir: '', internalSecret: TEST_INTERNAL_SECRET })
    const path = '/api/connectivity-monitor/settings'
    await fiftyAtOnce(() => oversizeUpload(monitor.url, path, prove('POST', `${monitor.url}${path}`)))
  }, 60_000)
})
