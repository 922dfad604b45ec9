/**
 * Loopback upstreams whose failure can be switched at run time, for the connectivity monitor's
 * system tests and benchmark. Each keeps its port across modes, like a restarted container:
 *
 * - `ok`      — `GET /health` answers `{"status":"ok"}`, any POST answers `{"ok":true}` at once.
 * - `stopped` — the listening socket is closed and every open connection destroyed: connection
 *               refused, as a stopped container gives. Any other mode listens again on the same port.
 * - `hang`    — TCP is accepted (the kernel completes the handshake) and nothing is ever answered,
 *               like a wedged process. Leaving `hang` destroys the sockets it held.
 * - `busy`    — `GET /health` answers only after `healthDelayMs` (15 s by default) while POSTs still
 *               answer at once: the real Parakeet and TEI run inference on their event loop, so a
 *               busy GPU makes /health late, not the work.
 *
 * Written on node:http rather than the simulator's emulators so twenty of them stay cheap in the
 * benchmark; the tests still use a simulator upstream where the issue asks for one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { comeAndGoPort } from '../../tools/stack/ports.ts'

export type FaultMode = 'ok' | 'stopped' | 'hang' | 'busy'

export interface FaultServer {
  readonly url: string
  readonly host: string
  readonly port: number
  mode(): FaultMode
  /** Resolves once the mode holds: the port refuses (`stopped`) or accepts again (others). */
  setMode(mode: FaultMode, opts?: { healthDelayMs?: number }): Promise<void>
  /**
   * Arms a blip: the next request has its connection reset, and the port then refuses for `ms`
   * before it listens again. Resolves with the blip's span (reset to listening) once it is over —
   * a blip that begins with a failed probe, whatever the monitor's schedule.
   */
  blipOnNextRequest(ms: number): Promise<{ startedAt: number; endedAt: number }>
  /** Requests answered so far, by method (`GET`, `POST`). */
  answered(method: 'GET' | 'POST'): number
  close(): Promise<void>
}

const DEFAULT_BUSY_HEALTH_MS = 15_000

/**
 * Starts a fault server in mode `ok`. Its port is below the ephemeral range (`comeAndGoPort`), so
 * no other process is handed it while it is stopped.
 */
export async function startFaultServer(host = '127.0.0.1'): Promise<FaultServer> {
  const port = await comeAndGoPort(host)
  let mode: FaultMode = 'ok'
  let healthDelayMs = DEFAULT_BUSY_HEALTH_MS
  const sockets = new Set<Socket>()
  const hung = new Set<Socket>()
  /** Health answers held by `busy`, each with the send that ends it early. */
  const delayed = new Map<NodeJS.Timeout, () => void>()
  const counts = { GET: 0, POST: 0 }
  let server: Server | null = null
  let armedBlip: ((req: IncomingMessage) => void) | null = null

  const answer = (req: IncomingMessage, res: ServerResponse) => {
    if (armedBlip) {
      armedBlip(req)
      return
    }
    if (mode === 'hang') {
      hung.add(req.socket)
      return
    }
    // Drain the body so keep-alive connections stay usable.
    req.resume()
    const send = () => {
      if (res.destroyed) return
      if (req.method === 'POST') counts.POST++
      else counts.GET++
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(req.method === 'POST' ? '{"ok":true}' : '{"status":"ok"}')
    }
    if (mode === 'busy' && req.method !== 'POST') {
      const timer = setTimeout(() => {
        delayed.delete(timer)
        send()
      }, healthDelayMs)
      delayed.set(timer, send)
      return
    }
    send()
  }

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer({ keepAliveTimeout: 5000 }, answer)
      s.on('connection', (socket) => {
        sockets.add(socket)
        socket.on('close', () => {
          sockets.delete(socket)
          hung.delete(socket)
        })
        if (mode === 'hang') hung.add(socket)
      })
      s.once('error', reject)
      s.listen(port, host, () => {
        s.off('error', reject)
        server = s
        resolve()
      })
    })

  const unlisten = async () => {
    const s = server
    server = null
    if (!s) return
    const closed = new Promise<void>((resolve) => s.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closed
  }

  /** Leaving `busy` answers what it held, as a GPU that finished its work would. */
  const endDelayed = () => {
    for (const [timer, send] of delayed) {
      clearTimeout(timer)
      send()
    }
    delayed.clear()
  }

  await listen()
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    mode: () => mode,
    async setMode(next, opts = {}) {
      if (mode === 'hang' && next !== 'hang') {
        for (const socket of hung) socket.destroy()
        hung.clear()
      }
      if (mode === 'busy' && next !== 'busy') endDelayed()
      healthDelayMs = opts.healthDelayMs ?? DEFAULT_BUSY_HEALTH_MS
      mode = next
      if (next === 'stopped') await unlisten()
      else if (!server) await listen()
    },
    blipOnNextRequest(ms) {
      return new Promise((resolve, reject) => {
        armedBlip = (req) => {
          armedBlip = null
          const startedAt = Date.now()
          req.socket.destroy()
          unlisten()
            .then(() => new Promise((r) => setTimeout(r, Math.max(0, ms - (Date.now() - startedAt)))))
            .then(() => (mode === 'stopped' ? undefined : listen()))
            .then(() => resolve({ startedAt, endedAt: Date.now() }), reject)
        }
      })
    },
    answered: (method) => counts[method],
    async close() {
      armedBlip = null
      endDelayed()
      await unlisten()
    },
  }
}

/** A loopback port nothing listens on: every connection to it is refused. */
export async function refusingPort(host = '127.0.0.1'): Promise<number> {
  return comeAndGoPort(host)
}
