import type { Server } from 'node:net'
import ssh2 from 'ssh2'
import { describe, expect, it } from 'vitest'
import { generateEd25519KeyPair } from '../../../../shared/ssh/keygen.ts'
import { refusingPort, SETTINGS, signal, target, useProbeKit } from './probe-test-kit.ts'

const { probes, listen, tcpServer, onCleanup } = useProbeKit()

describe('tcp probe', () => {
  it('is ok once connected, and says when it was sent and how long it took', async () => {
    const { port, open } = await tcpServer()
    const evidence = await probes({ clock: { now: () => 1234 } }).tcp!(
      target({ tcp: { host: '127.0.0.1', port } }),
      signal(),
    )
    expect(evidence).toMatchObject({ target: 't', layer: 'tcp', at: 1234, ok: true, source: 'probe' })
    expect(evidence.kind).toBeUndefined()
    expect(evidence.latencyMs).toBeGreaterThanOrEqual(0)
    expect(evidence.latencyMs).toBeLessThan(SETTINGS.tcpTimeoutMs)
    await expect.poll(() => open.size).toBe(0)
  })

  it('names a refused port', async () => {
    const port = await refusingPort()
    const evidence = await probes().tcp!(target({ tcp: { host: '127.0.0.1', port } }), signal())
    expect(evidence).toMatchObject({ ok: false, kind: 'refused', detail: 'connection refused' })
  })

  it('names a host that does not resolve', async () => {
    const evidence = await probes().tcp!(
      target({ tcp: { host: 'no-such-host.invalid', port: 80 } }),
      signal(),
    )
    expect(evidence).toMatchObject({ ok: false, kind: 'dns', detail: 'host not found' })
  })

  it('fails a target without a TCP address instead of throwing', async () => {
    const evidence = await probes().tcp!(target({}), signal())
    expect(evidence).toMatchObject({ ok: false, kind: 'other' })
    const badPort = await probes().tcp!(target({ tcp: { host: '127.0.0.1', port: 70000 } }), signal())
    expect(badPort).toMatchObject({ ok: false, kind: 'other' })
  })
})

describe('ssh probe', () => {
  const node = (port: number) => target({ kind: 'node', ssh: { host: '127.0.0.1', port } })

  it('is ok when a real SSH server sends its banner', async () => {
    const clients: ssh2.Connection[] = []
    const server = new ssh2.Server({ hostKeys: [generateEd25519KeyPair().private] }, (client) => {
      clients.push(client)
      client.on('error', () => {})
    })
    onCleanup(() => {
      for (const c of clients) c.end()
    })
    const port = await listen(server as unknown as Server)
    const evidence = await probes().ssh!(node(port), signal())
    expect(evidence).toMatchObject({ layer: 'ssh', ok: true })
    expect(evidence.detail).toMatch(/^SSH-2\.0-/)
  })

  it('reads a banner sent in pieces, and sends its own identification before closing', async () => {
    let heard = ''
    const { port, open } = await tcpServer((socket) => {
      socket.write('SSH-2.0-Open')
      setImmediate(() => socket.write('SSH_9.6\r\n'))
      socket.on('data', (d) => {
        heard += d
      })
    })
    const evidence = await probes().ssh!(node(port), signal())
    expect(evidence).toMatchObject({ ok: true, detail: 'SSH-2.0-OpenSSH_9.6' })
    await expect.poll(() => heard).toBe('SSH-2.0-SparkControlMonitor\r\n')
    await expect.poll(() => open.size).toBe(0)
  })

  it('fails a port that answers with something else', async () => {
    const { port } = await tcpServer((socket) => socket.write('HTTP/1.1 400 Bad Request\r\n\r\n'))
    const evidence = await probes().ssh!(node(port), signal())
    expect(evidence).toMatchObject({ ok: false, kind: 'other' })
    expect(evidence.detail).toContain('not with an SSH banner (got "HTTP/1.1 400 Bad Request")')
  })

  it('fails a server that closes before its banner, and a refused port', async () => {
    const { port } = await tcpServer((socket) => socket.end())
    expect(await probes().ssh!(node(port), signal())).toMatchObject({ ok: false, kind: 'reset' })
    expect(await probes().ssh!(node(await refusingPort()), signal())).toMatchObject({
      ok: false,
      kind: 'refused',
    })
  })

  it('times out on time against a server that accepts and never speaks, and leaves no socket open', async () => {
    const { port, open } = await tcpServer()
    const started = performance.now()
    const evidence = await probes().ssh!(node(port), signal())
    const took = performance.now() - started
    expect(evidence).toMatchObject({
      ok: false,
      kind: 'timeout',
      detail: `connected, but no SSH banner within ${SETTINGS.sshTimeoutMs} ms`,
    })
    expect(took).toBeGreaterThanOrEqual(SETTINGS.sshTimeoutMs - 5)
    expect(took).toBeLessThan(SETTINGS.sshTimeoutMs + 300)
    await expect.poll(() => open.size).toBe(0)
  })

  it('stops at once when the signal fires, also before it starts', async () => {
    const { port, open } = await tcpServer()
    const controller = new AbortController()
    const pending = probes().ssh!(node(port), controller.signal)
    await expect.poll(() => open.size).toBe(1)
    controller.abort()
    expect(await pending).toMatchObject({ ok: false, kind: 'other', detail: 'check cancelled' })
    await expect.poll(() => open.size).toBe(0)
    expect(await probes().ssh!(node(port), controller.signal)).toMatchObject({
      ok: false,
      detail: 'check cancelled',
    })
  })
})
