/**
 * Loopback servers for the outcome tests, test-only: an upstream that can be stopped and started
 * again on the same port (a real outage: the port refuses meanwhile), and a fake connectivity
 * monitor that collects the batches it is sent — or refuses, fails or hangs, on demand.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { OutcomeBatch, RequestOutcome } from '../../contracts/connectivity-monitor.ts'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface Restartable {
  readonly port: number
  readonly url: string
  /** Closes the listener and cuts every connection: the port refuses until `start`. */
  stop(): Promise<void>
  start(): Promise<void>
}

export async function listenRestartable(handler: Handler): Promise<Restartable> {
  let server: Server | null = null
  let port = 0
  const start = async () => {
    const s = createServer(handler)
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve))
    port = (s.address() as AddressInfo).port
    server = s
  }
  await start()
  return {
    get port() {
      return port
    },
    get url() {
      return `http://127.0.0.1:${port}`
    },
    start,
    async stop() {
      const s = server
      server = null
      if (!s) return
      const closed = new Promise<void>((resolve) => s.close(() => resolve()))
      s.closeAllConnections()
      await closed
    },
  }
}

/**
 * The upstream's routes: `/status/<code>`, `/delay/<ms>` (then 200), `/hang` (accepts, never
 * answers), `/cut` (head, part of a body, then the socket is destroyed), anything else 200.
 */
export const upstreamRoutes: Handler = (req, res) => {
  const [, route = '', arg = ''] = (req.url ?? '/').split('/')
  req.resume()
  if (route === 'status') {
    res.writeHead(Number(arg)).end('x')
  } else if (route === 'delay') {
    setTimeout(() => res.writeHead(200).end('late'), Number(arg))
  } else if (route === 'hang') {
    // Holds the request until the server is stopped.
  } else if (route === 'cut') {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('part')
    setTimeout(() => res.destroy(), 20)
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  }
}

export type MonitorMode = 'accept' | 'fail' | 'hang'

export interface FakeMonitor extends Restartable {
  mode: MonitorMode
  readonly batches: OutcomeBatch[]
  outcomes(): RequestOutcome[]
  /** POSTs it holds without answering (mode `hang`). */
  readonly hanging: number
}

export async function startFakeMonitor(): Promise<FakeMonitor> {
  const batches: OutcomeBatch[] = []
  let hanging = 0
  let mode: MonitorMode = 'accept'
  const server = await listenRestartable((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (mode === 'hang') {
        hanging++
        res.on('close', () => hanging--)
        return
      }
      if (mode === 'fail' || req.url !== '/api/monitor/outcomes') {
        res.writeHead(503).end()
        return
      }
      const batch = JSON.parse(Buffer.concat(chunks).toString()) as OutcomeBatch
      batches.push(batch)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ accepted: batch.outcomes.length, unknown_targets: [] }))
    })
  })
  return {
    get mode() {
      return mode
    },
    set mode(next: MonitorMode) {
      mode = next
    },
    batches,
    outcomes: () => batches.flatMap((b) => b.outcomes),
    get hanging() {
      return hanging
    },
    get port() {
      return server.port
    },
    get url() {
      return server.url
    },
    start: server.start,
    stop: server.stop,
  }
}
