/**
 * The portable path's end of an exchange: the backend's answer as a web Response, its body a
 * ReadableStream when it streams. A client that leaves is seen on its request's abort signal,
 * watched only once the answer is slow in coming (client-watch.ts), or on the stream's cancel.
 */
import type { AppError } from '../../../shared/errors.ts'
import type { ClientWatch, Watchable } from './client-watch.ts'
import { Exchange, type ExchangeOptions, type ForwardRequest } from './exchange.ts'
import type { ResponseHeaders } from './headers.ts'

/** The client's bytes are buffered up to this much while the reader is slower than the backend. */
const STREAM_HIGH_WATER_BYTES = 64 * 1024

export class WebExchange extends Exchange implements Watchable {
  private stream: ReadableStreamDefaultController<Uint8Array> | null = null
  private readonly resolve: (res: Response) => void
  private readonly reject: (err: AppError) => void
  private readonly clients: ClientWatch

  constructor(
    req: ForwardRequest,
    options: ExchangeOptions,
    resolve: (res: Response) => void,
    reject: (err: AppError) => void,
    clients: ClientWatch,
  ) {
    super(req, options)
    this.resolve = resolve
    this.reject = reject
    this.clients = clients
    if (req.clientSignal) clients.add(this)
  }

  /** The answer is slow in coming: from now on a client that leaves aborts the backend request. */
  watch() {
    if (this.settled || this.finished || !this.req.clientSignal) return
    const signal = this.req.clientSignal()
    if (signal.aborted) this.clientGone()
    // Not removed when done (removal costs more than it saves); a late abort finds `finished` set.
    else signal.addEventListener('abort', () => this.clientGone(), { once: true })
  }

  private settle(response: Response) {
    this.clients.remove(this)
    this.resolve(response)
  }

  protected sendWhole(status: number, headers: ResponseHeaders, body: Uint8Array<ArrayBuffer> | null) {
    this.settle(new Response(body, { status, headers: webHeaders(headers) }))
  }

  protected sendHead(status: number, headers: ResponseHeaders) {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.stream = c
        },
        pull: () => this.resume(),
        cancel: () => this.streamCancelled(),
      },
      { highWaterMark: STREAM_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
    )
    this.settle(new Response(body, { status, headers: webHeaders(headers) }))
  }

  protected sendChunk(chunk: Uint8Array): boolean {
    this.stream!.enqueue(chunk)
    return (this.stream!.desiredSize ?? 1) > 0
  }

  protected sendEnd() {
    this.stream!.close()
  }

  protected fail(err: AppError) {
    this.clients.remove(this)
    this.reject(err)
  }

  protected cut(err: Error, last: Uint8Array | null) {
    if (!this.stream) return
    if (last === null) return this.stream.error(err)
    this.stream.enqueue(last)
    this.stream.close()
  }
}

/** For a web Response: the record itself, or name/value pairs when a header repeats. */
function webHeaders(headers: ResponseHeaders): HeadersInit {
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
