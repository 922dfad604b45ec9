/**
 * Slow clients: half send a request head and never finish it (half-open), half send a complete
 * head with a large Content-Length and then trickle the body a byte at a time. Each socket is
 * watched until the server answers or closes it; `stop()` ends whatever is still open.
 */
import { connect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'

interface SlowClientFigures {
  opened: number
  /** Ended by the server (an answer such as 408, or a close), with when (ms after opening). */
  endedByServer: number
  answeredStatuses: Record<string, number>
  endedAfterMsP50: number
  endedAfterMsMax: number
  /** Still open when stopped. */
  stillOpen: number
}

interface SlowClients {
  stop(): SlowClientFigures
}

const TRICKLE_MS = 500

export function openSlowClients(origin: URL, count: number): SlowClients {
  const sockets: Socket[] = []
  const endedAfter: number[] = []
  const statuses: Record<string, number> = {}
  const timers: NodeJS.Timeout[] = []
  /** Sockets this side ended, so their close is not counted as the server's. */
  const ours = new WeakSet<Socket>()
  for (let i = 0; i < count; i++) {
    const opened = performance.now()
    const socket = connect(Number(origin.port), origin.hostname)
    socket.on('error', () => {})
    let first = ''
    socket.on('data', (chunk: Buffer) => {
      if (first) return
      first = chunk.toString('latin1', 0, 12)
      const status = /^HTTP\/1\.1 (\d{3})/.exec(first)?.[1] ?? 'other'
      statuses[status] = (statuses[status] ?? 0) + 1
    })
    socket.on('close', () => {
      if (!ours.has(socket)) endedAfter.push(performance.now() - opened)
    })
    if (i % 2 === 0) {
      socket.write(
        `POST /v1/embeddings HTTP/1.1\r\nHost: ${origin.host}\r\nContent-Type: application/json\r\n`,
      )
    } else {
      socket.write(
        `POST /v1/embeddings HTTP/1.1\r\nHost: ${origin.host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
      )
      const trickle = setInterval(() => socket.writable && socket.write(' '), TRICKLE_MS)
      timers.push(trickle)
    }
    sockets.push(socket)
  }
  return {
    stop() {
      for (const t of timers) clearInterval(t)
      let stillOpen = 0
      for (const s of sockets) {
        if (s.destroyed) continue
        stillOpen++
        ours.add(s)
        s.destroy()
      }
      const sorted = [...endedAfter].sort((a, b) => a - b)
      return {
        opened: count,
        endedByServer: sorted.length,
        answeredStatuses: statuses,
        endedAfterMsP50: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
        endedAfterMsMax: sorted.at(-1) ?? Number.NaN,
        stillOpen,
      }
    },
  }
}
