/**
 * The Node fast path's end of an exchange: the backend's answer written straight to Node's
 * ServerResponse — no web Response, no ReadableStream, no per-request AbortSignal. What the answer
 * becomes is decided in exchange.ts, as for the portable path; only the writing differs:
 * - a client that leaves is seen on the response's `close` event (a listener costs next to nothing
 *   until it fires), and aborts the backend request;
 * - backpressure is the socket's own: `write` returning false pauses the backend, `drain` resumes;
 * - a streamed answer's head goes out with its first chunk when that is already here, else at once
 *   (an SSE client learns the stream is open before the first event).
 * Only node:http types are imported, so the module loads on Deno too (where it is never used).
 */
import type { ServerResponse } from 'node:http'
import type { AppError } from '../../../shared/errors.ts'
import { Exchange, type ExchangeOptions, type ForwardRequest } from './exchange.ts'
import type { ResponseHeaders } from './headers.ts'

export class NodeExchange extends Exchange {
  private waitingDrain = false
  /** Something after the head was written (with the head, when it was still waiting). */
  private bodyStarted = false
  private readonly res: ServerResponse
  private readonly resolve: (status: number) => void
  private readonly reject: (err: AppError) => void

  constructor(
    req: ForwardRequest,
    options: ExchangeOptions,
    res: ServerResponse,
    resolve: (status: number) => void,
    reject: (err: AppError) => void,
  ) {
    super(req, options)
    this.res = res
    this.resolve = resolve
    this.reject = reject
    // `close` also follows a normal finish; only an unfinished response means the client left.
    res.once('close', () => {
      if (!res.writableFinished) this.clientGone()
    })
  }

  protected sendWhole(status: number, headers: ResponseHeaders, body: Uint8Array<ArrayBuffer> | null) {
    this.res.writeHead(status, headers)
    if (body === null) this.res.end()
    else this.res.end(body)
    this.resolve(status)
  }

  protected sendHead(status: number, headers: ResponseHeaders) {
    const res = this.res
    res.writeHead(status, headers)
    this.resolve(status)
    // undici hands over the first chunk in the same tick as the head when both came in one read.
    // (`headersSent` is already true here: it means "head composed", not "head on the wire".)
    queueMicrotask(() => {
      if (!this.bodyStarted && !res.destroyed) res.flushHeaders()
    })
  }

  protected sendChunk(chunk: Uint8Array): boolean {
    this.bodyStarted = true
    if (this.res.destroyed) return true
    if (this.res.write(chunk)) return true
    if (!this.waitingDrain) {
      this.waitingDrain = true
      this.res.once('drain', () => {
        this.waitingDrain = false
        this.resume()
      })
    }
    return false
  }

  protected sendEnd() {
    this.bodyStarted = true
    this.res.end()
  }

  protected fail(err: AppError) {
    this.reject(err)
  }

  protected cut(_err: Error, last: Uint8Array | null) {
    this.bodyStarted = true
    if (last !== null) this.res.end(last)
    // A clean end would pass a truncated body off as complete: the client must see a failure.
    else this.res.destroy()
  }
}
