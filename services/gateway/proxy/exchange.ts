/**
 * One request/response through an undici pool: the handler undici calls as bytes arrive, and every
 * decision about the answer — which statuses have no body, which headers pass, when a small answer
 * is collected to go out in one write, SSE detection, what a failure becomes before and after the
 * head, when to pause the backend. Where the answer goes is left to a subclass: a web Response
 * (web-relay.ts, the portable path) or a Node ServerResponse (node-relay.ts, the Node fast path).
 * Both therefore behave the same by construction.
 */
import type { Dispatcher } from 'undici'
import { type AppError, upstreamFailed } from '../../../shared/errors.ts'
import type { BackendName } from '../domain/route-table.ts'
import { type ResponseHeaders, responseHeaders } from './headers.ts'
import { brokenStreamEvent, ClientGone, classify, concat } from './outcome.ts'

export interface ForwardRequest {
  service: BackendName
  method: string
  /** Path and query, as the backend should see them. */
  path: string
  /** Flat `[name, value, …]` list, hop-by-hop headers already removed. */
  headers: string[]
  body: AsyncIterable<Uint8Array> | Uint8Array | null
  /** Time allowed for the response head, and between two body chunks. */
  timeoutMs: number
  /**
   * The client's request signal, fired when the client goes away. A getter: merely reading
   * `request.signal` has a cost, paid only for requests that wait (see client-watch.ts). The Node
   * path leaves it null and watches its response object instead.
   */
  clientSignal: (() => AbortSignal) | null
  requestId: string
  /**
   * An event stream of this request never ends by itself (swap progress, logs): at shutdown the
   * gateway ends it cleanly instead of holding the process open for it. Chat and audio streams
   * end with their generation, so they get the grace period instead.
   */
  endOnShutdown?: boolean
}

/** The open event streams a shutdown ends (see `ForwardRequest.endOnShutdown`). */
export interface OpenStreams {
  add(exchange: Exchange): void
  delete(exchange: Exchange): void
}

export interface ExchangeOptions {
  retryAfterS: number
  streams?: OpenStreams
  /** Told when a stream breaks after its head was sent: the client only sees a cut connection. */
  onBrokenStream?: (info: { service: BackendName; requestId: string; reason: string }) => void
}

/**
 * Answers with a declared length up to this size are collected and sent whole: one write instead of
 * head-then-body, and no stream to set up. Streams (SSE, unknown length) and larger bodies flow.
 */
const SMALL_RESPONSE_BYTES = 64 * 1024

export abstract class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null
  private pendingAbort: Error | null = null
  /** The client has its answer's head, or the failure that replaces it. */
  protected settled = false
  /** Nothing more goes to the client. */
  private ended = false
  /** The exchange with the backend is over (complete or failed). */
  protected finished = false
  private sse = false
  private small: { status: number; headers: ResponseHeaders; chunks: Uint8Array[]; size: number } | null =
    null
  protected readonly req: ForwardRequest
  private readonly options: ExchangeOptions

  constructor(req: ForwardRequest, options: ExchangeOptions) {
    this.req = req
    this.options = options
  }

  /** Status, headers and the whole body (null: none) in one go. */
  protected abstract sendWhole(
    status: number,
    headers: ResponseHeaders,
    body: Uint8Array<ArrayBuffer> | null,
  ): void
  /** The head of an answer whose body follows in chunks. */
  protected abstract sendHead(status: number, headers: ResponseHeaders): void
  /** One body chunk; false when the client is not keeping up (the backend is paused until `resume`). */
  protected abstract sendChunk(chunk: Uint8Array): boolean
  protected abstract sendEnd(): void
  /** Nothing was sent: the client gets this error instead. */
  protected abstract fail(err: AppError): void
  /** The stream broke after its head (`err`): close it with `last` (SSE), or cut it (null). */
  protected abstract cut(err: Error, last: Uint8Array | null): void

  /** The client went away: the backend stops working for nobody. */
  protected clientGone() {
    if (!this.finished) this.abort(new ClientGone())
  }

  /** The client stopped reading a streamed body (it cancelled or disconnected). */
  protected streamCancelled() {
    this.ended = true
    this.abort(new ClientGone())
  }

  /** The client is ready for more. */
  protected resume() {
    this.controller?.resume()
  }

  private abort(reason: Error) {
    if (this.controller) this.controller.abort(reason)
    else this.pendingAbort = reason
  }

  onRequestStart(controller: Dispatcher.DispatchController) {
    this.controller = controller
    if (this.pendingAbort) controller.abort(this.pendingAbort)
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ) {
    if (status < 200) return
    if (status > 599) {
      controller.abort(new Error(`answered with HTTP status ${status}`))
      return
    }
    const out = responseHeaders(headers, this.req.requestId)
    if (this.req.method === 'HEAD' || status === 204 || status === 205 || status === 304) {
      this.ended = true
      this.settled = true
      try {
        this.sendWhole(status, out, null)
      } catch (err) {
        this.refused(err)
      }
      return
    }
    this.sse = String(headers['content-type'] ?? '').startsWith('text/event-stream')
    // Collected, then sent with the head in one write: most JSON answers arrive in one packet anyway.
    if (!this.sse && Number(headers['content-length'] ?? Number.NaN) <= SMALL_RESPONSE_BYTES) {
      this.small = { status, headers: out, chunks: [], size: 0 }
      return
    }
    this.settled = true
    try {
      this.sendHead(status, out)
    } catch (err) {
      this.refused(err)
      return
    }
    if (this.sse && this.req.endOnShutdown) this.options.streams?.add(this)
  }

  /** Shutdown: the client's stream ends cleanly (an EventSource reconnects later), the backend's is dropped. */
  endForShutdown() {
    if (this.ended) return
    this.ended = true
    this.sendEnd()
    if (!this.finished) this.abort(new ClientGone())
  }

  /**
   * A head the server will not write (a header value it refuses) is the backend's bad answer:
   * nothing has gone out, so the client gets a 502, and the backend request is dropped.
   */
  private refused(err: unknown) {
    this.ended = true
    this.fail(upstreamFailed(this.req.service, `its answer cannot be passed on (${(err as Error).message})`))
    if (!this.finished) this.abort(new ClientGone())
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Uint8Array) {
    if (this.small) {
      this.small.chunks.push(chunk)
      this.small.size += chunk.byteLength
      return
    }
    if (this.ended) return
    if (!this.sendChunk(chunk)) controller.pause()
  }

  onResponseEnd() {
    this.finished = true
    this.options.streams?.delete(this)
    if (this.small) {
      const { status, headers, chunks, size } = this.small
      this.settled = true
      try {
        this.sendWhole(status, headers, concat(chunks, size))
      } catch (err) {
        this.refused(err)
      }
      return
    }
    if (this.ended) return
    this.ended = true
    this.sendEnd()
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, err: Error) {
    this.finished = true
    this.options.streams?.delete(this)
    if (!this.settled) {
      this.settled = true
      this.fail(classify(err, this.req, this.options.retryAfterS))
      return
    }
    if (this.ended) return
    this.ended = true
    if (err instanceof ClientGone) {
      this.cut(err, null)
      return
    }
    const failure = classify(err, this.req, this.options.retryAfterS)
    this.options.onBrokenStream?.({
      service: this.req.service,
      requestId: this.req.requestId,
      reason: failure.message,
    })
    // A broken stream would leave SSE parsers waiting; say what happened and end cleanly.
    this.cut(err, this.sse ? brokenStreamEvent(failure) : null)
  }
}
