/**
 * A faithful double of the Qdrant REST endpoints the vector-search Qdrant adapter uses, for tests:
 * `startQdrantDouble()` listens on 127.0.0.1 and a free port, in this process. Written from
 * Qdrant's public documentation and OpenAPI document, not from the product's store code, so it
 * does not share the adapter's assumptions. README.md lists what it leaves out.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DoubleError } from './collections.ts'
import { type Call, collectionRoute, type DoubleState } from './routes.ts'

/** Qdrant's default `service.max_request_size_mb`. */
export const QDRANT_MAX_REQUEST_BYTES = 32 * 1024 * 1024

export interface QdrantDoubleOptions {
  /** What `GET /` reports; parametrised RRF (`{rrf: {k}}`) is refused below 1.16. */
  version?: string
  maxRequestBytes?: number
  /** When set, every call but the health routes needs this `api-key` header. */
  apiKey?: string
}

/** One request as the double saw it: for asserting how a client split its writes. */
export interface LoggedRequest {
  method: string
  path: string
  bytes: number
  /** Points written by the request (upserts, including those inside a batch). */
  points: number
  status: number
}

export interface QdrantDouble {
  url: string
  requests: LoggedRequest[]
  state: DoubleState
  close(): Promise<void>
}

const HEALTH = new Set(['/healthz', '/livez', '/readyz'])

function send(res: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' })
  res.end(text)
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ text: string; bytes: number }> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN)
  if (declared > limit) {
    req.resume()
    throw new DoubleError(
      400,
      `JSON payload (${declared} bytes) is larger than allowed (limit: ${limit} bytes).`,
    )
  }
  const chunks: Buffer[] = []
  let bytes = 0
  // An oversize body is still read to its end (and dropped), so the client sees the answer, not a reset.
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length
    if (bytes <= limit) chunks.push(chunk as Buffer)
  }
  if (bytes > limit)
    throw new DoubleError(400, `JSON payload size is larger than allowed (limit: ${limit} bytes).`)
  return { text: Buffer.concat(chunks).toString('utf8'), bytes }
}

function pointsWritten(path: string, body: unknown): number {
  const b = body as { points?: unknown[]; operations?: { upsert?: { points?: unknown[] } }[] } | null
  if (path.endsWith('/points') && Array.isArray(b?.points)) return b.points.length
  if (path.endsWith('/points/batch') && Array.isArray(b?.operations))
    return b.operations.reduce((n, op) => n + (op.upsert?.points?.length ?? 0), 0)
  return 0
}

function route(state: DoubleState, method: string, url: URL, body: unknown): unknown {
  const path = url.pathname.replace(/\/+$/, '') || '/'
  if (method === 'GET' && path === '/')
    return { title: 'qdrant - vector search engine', version: state.version, commit: null }
  if (method === 'GET' && path === '/collections')
    return { collections: [...state.collections.keys()].map((name) => ({ name })) }
  const m = /^\/collections\/([^/]+)(?:\/(.*))?$/.exec(path)
  if (!m) throw new DoubleError(404, `The Qdrant double does not serve ${method} ${path}`)
  const call: Call = {
    method,
    name: decodeURIComponent(m[1]!),
    rest: m[2] ? m[2].split('/') : [],
    query: url.searchParams,
    body,
  }
  return collectionRoute(state, call)
}

export async function startQdrantDouble(options: QdrantDoubleOptions = {}): Promise<QdrantDouble> {
  const state: DoubleState = { collections: new Map(), version: options.version ?? '1.16.3' }
  const limit = options.maxRequestBytes ?? QDRANT_MAX_REQUEST_BYTES
  const requests: LoggedRequest[] = []
  const server = createServer(async (req, res) => {
    const started = performance.now()
    const url = new URL(req.url ?? '/', 'http://double')
    const method = req.method ?? 'GET'
    const entry: LoggedRequest = { method, path: url.pathname, bytes: 0, points: 0, status: 200 }
    requests.push(entry)
    const time = () => (performance.now() - started) / 1000
    try {
      if (HEALTH.has(url.pathname))
        return send(res, 200, url.pathname === '/readyz' ? 'all shards are ready' : 'healthz check passed')
      if (options.apiKey && req.headers['api-key'] !== options.apiKey)
        throw new DoubleError(401, 'Must provide an API key or an Authorization bearer token')
      const { text, bytes } = await readBody(req, limit)
      entry.bytes = bytes
      let body: unknown = null
      if (text) {
        try {
          body = JSON.parse(text)
        } catch (err) {
          throw new DoubleError(400, `Format error in JSON body: ${(err as Error).message}`)
        }
      }
      entry.points = pointsWritten(url.pathname, body)
      const result = route(state, method, url, body)
      if (url.pathname === '/') return send(res, 200, result)
      send(res, 200, { result, status: 'ok', time: time() })
    } catch (err) {
      const status = err instanceof DoubleError ? err.status : 500
      entry.status = status
      const message =
        err instanceof DoubleError ? err.message : `Service internal error: ${(err as Error).message}`
      send(res, status, { status: { error: message }, time: time() })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
