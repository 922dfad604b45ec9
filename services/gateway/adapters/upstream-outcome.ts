/**
 * How a backend's answer, or its failure, becomes what the client receives: the response headers
 * it may see, the error a transport failure means (503 not there, 504 too slow, 502 broken), and the
 * last SSE event of a stream that broke. Pure functions, shared by the proxy's transport.
 */
import { AppError, badRequest, upstreamTimeout, upstreamUnavailable } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import type { BackendName } from '../domain/route-table.ts'

/** Raised into the pool when the client is gone, so the backend stops working for nobody. */
export class ClientGone extends Error {
  constructor() {
    super('The client went away.')
    this.name = 'ClientGone'
  }
}

const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer'])

/** Response headers as Node's `writeHead` takes them; a repeated header (set-cookie) stays a list. */
export type ResponseHeaders = Record<string, string | string[]>

/** The backend's headers a client may see, plus our request id when the backend sent none. */
export function responseHeaders(
  raw: Record<string, string | string[] | undefined>,
  requestId: string,
): ResponseHeaders {
  const listed =
    typeof raw.connection === 'string'
      ? raw.connection
          .toLowerCase()
          .split(',')
          .map((s) => s.trim())
      : []
  const out: ResponseHeaders = {}
  for (const key in raw) {
    const value = raw[key]
    if (value === undefined || DROP_RESPONSE.has(key) || key.startsWith('proxy-') || listed.includes(key)) {
      continue
    }
    out[key] = value
  }
  if (raw['x-request-id'] === undefined) out['x-request-id'] = requestId
  return out
}

/** For a web Response: the record itself, or name/value pairs when a header repeats. */
export function webHeaders(headers: ResponseHeaders): HeadersInit {
  let pairs: Array<[string, string]> | null = null
  for (const key in headers) {
    if (typeof headers[key] === 'string') continue
    pairs = []
    break
  }
  if (pairs === null) return headers as Record<string, string>
  for (const key in headers) {
    const value = headers[key]!
    if (typeof value === 'string') pairs.push([key, value])
    else for (const v of value) pairs.push([key, v])
  }
  return pairs
}

export function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  // undici hands over Buffers, which sit on plain ArrayBuffers.
  if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

const encoder = new TextEncoder()

export function sseErrorEvent(err: AppError): Uint8Array {
  const payload = { error: { message: err.message, type: 'server_error', code: err.code } }
  return encoder.encode(`\n\nevent: error\ndata: ${JSON.stringify(payload)}\n\n`)
}

const CLIENT_FAULTS = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
])

/** Transport failures in the words a client needs: which service, and whether to retry. */
export function classify(
  err: unknown,
  req: { service: BackendName; timeoutMs: number },
  retryAfterS: number,
): AppError {
  if (err instanceof AppError) return err
  if (err instanceof ClientGone) return new AppError(499, 'client_closed', err.message)
  const code = (err as { code?: string }).code ?? ''
  // A backend that cannot even be connected to is not there, which is a 503, not a slow answer.
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return upstreamUnavailable(req.service, retryAfterS)
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return upstreamTimeout(req.service, req.timeoutMs)
  }
  if (CLIENT_FAULTS.has(code)) return badRequest(`The request cannot be forwarded: ${(err as Error).message}`)
  return classifyFailure(err, { service: req.service, timeoutMs: req.timeoutMs, retryAfterS })
}
