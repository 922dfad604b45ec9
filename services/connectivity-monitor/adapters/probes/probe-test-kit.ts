/**
 * What the probe tests share: real loopback servers (port 0, closed after each test), a connection
 * pool per test, and short timeouts so a timeout test takes well under a second.
 */
import { once } from 'node:events'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import type { Agent } from 'undici'
import { afterEach, beforeEach } from 'vitest'
import type { Target } from '../../domain/ports.ts'
import { createProbeAgent, createProbes, type ProbeSettings } from './index.ts'

export const SETTINGS: ProbeSettings = {
  tcpTimeoutMs: 500,
  httpTimeoutMs: 400,
  httpSlowMs: 100,
  functionalTimeoutMs: 600,
  sshTimeoutMs: 400,
}

export function target(parts: Partial<Target>): Target {
  return {
    id: 't',
    kind: 'upstream',
    title: 'T',
    host: null,
    legacySubject: null,
    origins: [],
    disabled: false,
    ...parts,
  }
}

export const signal = () => new AbortController().signal

/** A port nothing listens on: bound, then closed. */
export async function refusingPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/** Registers the per-test pool and clean-up; call once at the top of a test file. */
export function useProbeKit() {
  const cleanups: (() => unknown)[] = []
  let agent: Agent

  beforeEach(() => {
    agent = createProbeAgent(SETTINGS)
  })

  afterEach(async () => {
    await agent.close()
    for (const undo of cleanups.splice(0).reverse()) await undo()
  })

  async function listen(server: Server): Promise<number> {
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(() => new Promise((r) => server.close(r)))
    return (server.address() as AddressInfo).port
  }

  /** A TCP server that runs `onSocket` for each connection and keeps count of those still open. */
  async function tcpServer(onSocket: (socket: Socket) => void = () => {}) {
    const open = new Set<Socket>()
    const server = createServer((socket) => {
      open.add(socket)
      socket.on('close', () => open.delete(socket))
      socket.on('error', () => {})
      // Read (and drop) what comes, so the peer's close is seen and `open` follows it.
      socket.resume()
      onSocket(socket)
    })
    const port = await listen(server)
    cleanups.push(() => {
      for (const s of open) s.destroy()
    })
    return { port, open }
  }

  async function httpServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
    const server = createHttpServer(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      handler(req, res, body)
    })
    const sockets = new Set<Socket>()
    server.on('connection', (s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    })
    const port = await listen(server)
    cleanups.push(() => {
      for (const s of sockets) s.destroy()
    })
    return { port, url: `http://127.0.0.1:${port}` }
  }

  return {
    probes: (extra: Partial<ProbeSettings> = {}) => {
      const made = createProbes({ ...SETTINGS, dispatcher: agent, ...extra })
      cleanups.push(() => made.close())
      return made
    },
    listen,
    tcpServer,
    httpServer,
    onCleanup: (undo: () => unknown) => cleanups.push(undo),
  }
}
