/**
 * HTTP/1.1 over a bare socket, for requests fetch refuses to send: invalid UTF-8, CR/LF in header
 * values, duplicate Content-Length, Content-Length with chunked. Each request has its own
 * connection (`Connection: close`); the answer is read to the end of its framing, or to its
 * headers when it is an event stream (a live stream never ends by design).
 */
import { connect } from 'node:net'

export interface RawRequest {
  method: string
  /** Path and query, sent as they are. */
  target: string
  /** In order; a name may repeat. Host and Connection are added unless present. */
  headers: Array<[string, string]>
  body?: Buffer
}

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** The server closed or reset the connection without a complete status line. */
  dropped: boolean
}

const HEAD_END = Buffer.from('\r\n\r\n')

function serialize(host: string, req: RawRequest): Buffer {
  const names = new Set(req.headers.map(([n]) => n.toLowerCase()))
  const lines = [`${req.method} ${req.target} HTTP/1.1`]
  if (!names.has('host')) lines.push(`Host: ${host}`)
  if (!names.has('connection')) lines.push('Connection: close')
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return req.body ? Buffer.concat([head, req.body]) : head
}

function parseHead(head: string) {
  const [statusLine = '', ...lines] = head.split('\r\n')
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers }
}

/** A chunked body's data, or null while it is incomplete. */
function dechunk(raw: Buffer): Buffer | null {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at)
    if (lineEnd === -1) return null
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16)
    if (Number.isNaN(size)) return Buffer.concat(parts)
    if (size === 0) return Buffer.concat(parts)
    if (raw.length < lineEnd + 2 + size) return null
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}

/** The body once complete per the head's framing; null while more is due. */
function completeBody(headers: Record<string, string>, rest: Buffer, ended: boolean): Buffer | null {
  if (headers['transfer-encoding']?.includes('chunked')) return dechunk(rest) ?? (ended ? rest : null)
  const length = headers['content-length']
  if (length !== undefined) return rest.length >= Number(length) || ended ? rest : null
  return ended ? rest : null
}

export function sendRaw(origin: URL, req: RawRequest, timeoutMs = 15_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(origin.port), origin.hostname)
    const chunks: Buffer[] = []
    let settled = false
    const finish = (ended: boolean) => {
      if (settled) return
      let all = Buffer.concat(chunks)
      // Interim answers (100 Continue) come before the real one.
      while (/^HTTP\/1\.[01] 1\d\d /.test(all.subarray(0, 13).toString('latin1')) && all.includes(HEAD_END))
        all = all.subarray(all.indexOf(HEAD_END) + 4)
      const headEnd = all.indexOf(HEAD_END)
      if (headEnd === -1) {
        if (!ended) return
        settled = true
        return resolve({ status: 0, headers: {}, body: all.toString('utf8'), dropped: true })
      }
      const { status, headers } = parseHead(all.subarray(0, headEnd).toString('latin1'))
      const streaming = headers['content-type']?.includes('text/event-stream')
      const noBody = req.method === 'HEAD' || status === 204 || status === 304
      const body =
        streaming || noBody ? Buffer.alloc(0) : completeBody(headers, all.subarray(headEnd + 4), ended)
      if (body === null) return
      settled = true
      socket.destroy()
      resolve({ status, headers, body: body.toString('utf8'), dropped: false })
    }
    socket.setTimeout(timeoutMs, () => {
      socket.destroy()
      if (!settled) reject(new Error(`no complete answer within ${timeoutMs} ms`))
      settled = true
    })
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      finish(false)
    })
    socket.on('end', () => finish(true))
    // A reset after the server answered and closed (it refused the rest of the body) is an end.
    socket.on('error', () => finish(true))
    socket.on('close', () => finish(true))
    socket.write(serialize(origin.host, req))
  })
}
