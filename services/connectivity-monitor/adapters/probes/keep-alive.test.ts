import { createServer as createHttpServer, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { KEEP_IDLE_MS, KeepAliveHealth } from './keep-alive.ts'
import { refusingPort, signal, useProbeKit } from './probe-test-kit.ts'

const { listen, tcpServer, onCleanup } = useProbeKit()
const TIMEOUT_MS = 400

/** A node:http server counting the connections it accepted; `answer` writes each response. */
async function countingServer(answer: (res: ServerResponse, n: number) => void) {
  let requests = 0
  const connections = new Set<Socket>()
  let accepted = 0
  const server = createHttpServer({ keepAliveTimeout: 5000 }, (req, res) => {
    req.resume()
    answer(res, ++requests)
  })
  server.on('connection', (s: Socket) => {
    accepted++
    connections.add(s)
    s.on('close', () => connections.delete(s))
  })
  const port = await listen(server)
  onCleanup(() => {
    for (const s of connections) s.destroy()
  })
  return { port, connections, accepted: () => accepted }
}

function health(port: number, path = '/health', headers?: Record<string, string>) {
  const probe = new KeepAliveHealth(new URL(`http://127.0.0.1:${port}${path}`), headers)
  onCleanup(() => probe.close())
  return probe
}

const check = (probe: KeepAliveHealth, extra: { fresh?: boolean; timeoutMs?: number } = {}) =>
  probe.check({ timeoutMs: TIMEOUT_MS, signal: signal(), ...extra })

describe('KeepAliveHealth', () => {
  it('reuses one connection for check after check', async () => {
    const server = await countingServer((res) => res.end('{"status":"ok"}'))
    const probe = health(server.port)
    for (let i = 0; i < 5; i++) expect(await check(probe)).toEqual({ ok: true, detail: 'HTTP 200' })
    expect(server.accepted()).toBe(1)
  })

  it('reads chunked answers and keeps the connection', async () => {
    const server = await countingServer((res) => {
      res.write('{"status":')
      res.end('"ok"}')
    })
    const probe = health(server.port)
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(server.accepted()).toBe(1)
  })

  it('names a 503 and keeps the connection for the next check', async () => {
    const server = await countingServer((res, n) => res.writeHead(n === 1 ? 503 : 200).end('x'))
    const probe = health(server.port)
    expect(await check(probe)).toEqual({ ok: false, kind: 'http_5xx', detail: 'answered HTTP 503' })
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(server.accepted()).toBe(1)
  })

  it('reconnects when the server closed the kept connection, without reporting it', async () => {
    const server = await countingServer((res) => res.end('ok'))
    const probe = health(server.port)
    expect(await check(probe)).toMatchObject({ ok: true })
    for (const s of server.connections) s.destroy()
    await expect.poll(() => server.connections.size).toBe(0)
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(server.accepted()).toBe(2)
  })

  it('retries once on a fresh connection when a kept one turns out closed as the check is sent', async () => {
    let first = true
    const { port } = await tcpServer((socket) => {
      socket.on('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')
        // The first connection closes right after its answer, without saying so: a stale keep-alive.
        if (first) {
          first = false
          setImmediate(() => socket.destroy())
        }
      })
    })
    const probe = health(port)
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(await check(probe)).toMatchObject({ ok: true })
  })

  it('does not keep a connection the server closes, nor one older than the idle limit', async () => {
    const server = await countingServer((res) => res.setHeader('connection', 'close').end('ok'))
    const probe = health(server.port)
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(server.accepted()).toBe(2)
    expect(KEEP_IDLE_MS).toBeLessThan(5000)
  })

  it('names a refused port', async () => {
    const probe = health(await refusingPort())
    expect(await check(probe)).toEqual({ ok: false, kind: 'refused', detail: 'connection refused' })
  })

  it('names a reset mid-answer', async () => {
    const { port } = await tcpServer((socket) =>
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial')
        setImmediate(() => socket.resetAndDestroy())
      }),
    )
    const result = await check(health(port))
    expect(result).toMatchObject({ ok: false, kind: 'reset' })
  })

  it('times out on time against a server that accepts and never answers, and closes its socket', async () => {
    const { port, open } = await tcpServer()
    const started = performance.now()
    const result = await check(health(port))
    const took = performance.now() - started
    expect(result).toEqual({ ok: false, kind: 'timeout', detail: `no answer within ${TIMEOUT_MS} ms` })
    expect(took).toBeGreaterThanOrEqual(TIMEOUT_MS - 5)
    expect(took).toBeLessThan(TIMEOUT_MS + 300)
    await expect.poll(() => open.size).toBe(0)
  })

  it('calls an answer that is not HTTP a failure, and closes the connection', async () => {
    const { port, open } = await tcpServer((socket) =>
      socket.once('data', () => socket.write('SSH-2.0-x\r\n')),
    )
    const result = await check(health(port))
    expect(result).toMatchObject({ ok: false, kind: 'other', detail: expect.stringContaining('not an HTTP') })
    await expect.poll(() => open.size).toBe(0)
  })

  it('sends a check beside a hanging one on a connection of its own, and on request', async () => {
    let hold = true
    const server = await countingServer((res) => {
      if (!hold) res.end('ok')
    })
    const probe = health(server.port)
    const hanging = check(probe)
    await expect.poll(() => server.accepted()).toBe(1)
    hold = false
    expect(await check(probe, { timeoutMs: 200 })).toMatchObject({ ok: true })
    expect(await hanging).toMatchObject({ ok: false, kind: 'timeout' })
    expect(server.accepted()).toBe(2)
    expect(await check(probe, { fresh: true })).toMatchObject({ ok: true })
    expect(server.accepted()).toBe(3)
  })

  it('sends its path, host and extra headers, and never a header with a line break', async () => {
    const seen: Array<Record<string, unknown>> = []
    const server = createHttpServer((req, res) => {
      seen.push({ url: req.url, host: req.headers.host, key: req.headers['api-key'], x: req.headers.x })
      res.end()
    })
    const port = await listen(server)
    const probe = health(port, '/readyz?full=1', { 'api-key': 'k1', x: 'a\r\nInjected: 1' })
    expect(await check(probe)).toMatchObject({ ok: true })
    expect(seen).toEqual([{ url: '/readyz?full=1', host: `127.0.0.1:${port}`, key: 'k1', x: undefined }])
  })

  it('stops when the signal fires', async () => {
    const { port, open } = await tcpServer()
    const controller = new AbortController()
    const pending = health(port).check({ timeoutMs: 5000, signal: controller.signal })
    await expect.poll(() => open.size).toBe(1)
    controller.abort()
    expect(await pending).toEqual({ ok: false, kind: 'other', detail: 'check cancelled' })
    await expect.poll(() => open.size).toBe(0)
  })
})
