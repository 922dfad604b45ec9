/**
 * How a backend's failure becomes what the client receives: the error a transport failure means
 * (503 not there, 504 too slow, 502 broken) and the last SSE event of a stream that broke. Pure
 * functions, shared by the proxy's transport (the headers that pass are headers.ts's).
 */
import { AppError, badRequest, upstreamTimeout, upstreamUnavailable } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'
import { sseErrorEvent } from '../../../shared/sse.ts'
import type { BackendName } from '../domain/route-table.ts'

/** Raised into the pool when the client is gone, so the backend stops working for nobody. */
export class ClientGone extends Error {
  constructor() {
    super('The client went away.')
    this.name = 'ClientGone'
  }
}

/** A small answer's or body's chunks as one buffer, for one write. */
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

/** The last event of an event stream that broke: the shared error event, after any half-relayed one. */
export const brokenStreamEvent = (err: AppError): Uint8Array =>
  encoder.encode(sseErrorEvent(err.message, err.status, { afterPartialEvent: true }))

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
