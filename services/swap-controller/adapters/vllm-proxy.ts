/**
 * The chat passthrough to vLLM: the body goes out as the client sent it, the answer comes back
 * chunk by chunk as vLLM writes it (never buffered), the client's abort reaches vLLM, and the
 * earlier proxy's failure shapes are kept: a connection failure is `502 {"detail": "vllm
 * unreachable"}` even on `/v1/*`, and a failure while streaming is ONE SSE `error` event and the
 * end of the stream, so SSE parsers never hang on a half-open response.
 */
import { type Dispatcher, request, errors as undiciErrors } from 'undici'
import { AppError, upstreamFailed } from '../../../shared/errors.ts'
import { classifyFailure, UNREACHABLE_CODES } from '../../../shared/http-client.ts'
import { sseErrorEvent } from '../../../shared/sse.ts'

export interface ForwardRequest {
  path: '/v1/chat/completions' | '/v1/completions'
  body: Uint8Array
  contentType: string | undefined
  /** The request asked for `stream: true`: failures become one SSE `error` event. */
  streaming: boolean
  requestId: string | undefined
  signal: AbortSignal
  /** Runs once when the exchange is over (done, failed or aborted): the in-flight count. */
  onEnd(): void
}

export interface VllmProxy {
  forward(req: ForwardRequest): Promise<Response>
  models(options: { requestId?: string; signal?: AbortSignal }): Promise<Response>
}

export interface VllmProxyOptions {
  baseUrl: string | null
  dispatcher?: Dispatcher
  /** Idle budget for vLLM's headers and between body chunks; the earlier proxy allowed 30 minutes. */
  timeoutMs: number
  modelsTimeoutMs?: number
}

const CONNECT_CODES = new Set([...UNREACHABLE_CODES, 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'])
const ERROR_BODY_LIMIT = 64 * 1024
const PASSED_HEADERS = ['content-type', 'cache-control', 'x-request-id']

const codeOf = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } }
  return e?.code ?? e?.cause?.code
}

/** The earlier body, byte for byte, though the path is `/v1/*` (clients match on it). */
export const unreachable = (requestId?: string) =>
  new Response(JSON.stringify({ detail: 'vllm unreachable' }), {
    status: 502,
    headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
  })

/** vLLM's own message out of its error body (OpenAI envelope or FastAPI `detail`), else the text. */
export function upstreamMessage(text: string, status: number): string {
  try {
    type ErrorBody = { error?: { message?: unknown } | string; message?: unknown; detail?: unknown }
    const body = JSON.parse(text) as ErrorBody
    const m =
      typeof body.error === 'object' ? body.error?.message : (body.error ?? body.message ?? body.detail)
    if (typeof m === 'string' && m) return m
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 1000) || `vLLM answered ${status}`
}

async function readCapped(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    parts.push(chunk)
    size += chunk.length
    if (size >= limit) break
  }
  return Buffer.concat(parts).subarray(0, limit).toString('utf8')
}

const sseHeaders = (requestId?: string) => ({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  ...(requestId ? { 'x-request-id': requestId } : {}),
})

export function createVllmProxy(options: VllmProxyOptions): VllmProxy {
  const { baseUrl, dispatcher, timeoutMs } = options
  const encoder = new TextEncoder()

  async function forward(req: ForwardRequest): Promise<Response> {
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      req.onEnd()
    }
    if (!baseUrl) {
      end()
      return unreachable(req.requestId)
    }
    const headers: Record<string, string> = { 'content-type': req.contentType ?? 'application/json' }
    if (req.requestId) headers['x-request-id'] = req.requestId
    headers.accept = req.streaming ? 'text/event-stream' : 'application/json'
    let res: Dispatcher.ResponseData
    try {
      res = await request(`${baseUrl}${req.path}`, {
        method: 'POST',
        headers,
        body: req.body,
        signal: req.signal,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
    } catch (err) {
      end()
      if (req.signal.aborted) throw new AppError(499, 'client_closed', 'The client went away.')
      if (CONNECT_CODES.has(codeOf(err) ?? '')) return unreachable(req.requestId)
      throw classifyFailure(err, { service: 'vLLM', timeoutMs })
    }
    if (req.streaming && res.statusCode !== 200) {
      const text = await readCapped(res.body, ERROR_BODY_LIMIT).catch(() => '')
      end()
      const event = sseErrorEvent(upstreamMessage(text, res.statusCode), res.statusCode)
      return new Response(event, { status: 200, headers: sseHeaders(req.requestId) })
    }
    const out = new Headers()
    for (const name of PASSED_HEADERS) {
      const v = res.headers[name]
      if (typeof v === 'string') out.set(name, v)
    }
    if (req.requestId) out.set('x-request-id', req.requestId)
    const chunks = res.body[Symbol.asyncIterator]()
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await chunks.next()
          if (done) {
            end()
            controller.close()
            return
          }
          controller.enqueue(new Uint8Array(value as Buffer))
        } catch (err) {
          end()
          if (req.signal.aborted) return controller.error(err)
          if (!req.streaming) return controller.error(err)
          const why =
            err instanceof undiciErrors.BodyTimeoutError
              ? `no data within ${timeoutMs} ms`
              : 'the connection was lost'
          controller.enqueue(encoder.encode(sseErrorEvent(`vLLM stopped mid-stream: ${why}`, 502)))
          controller.close()
        }
      },
      cancel() {
        // The client went away: stop vLLM's generation too.
        res.body.destroy()
        end()
      },
    })
    return new Response(stream, { status: res.statusCode, headers: out })
  }

  async function models({
    requestId,
    signal,
  }: {
    requestId?: string
    signal?: AbortSignal
  }): Promise<Response> {
    if (!baseUrl) return unreachable(requestId)
    const budget = options.modelsTimeoutMs ?? 5000
    try {
      const res = await request(`${baseUrl}/v1/models`, {
        headers: { accept: 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
        signal,
        dispatcher,
        headersTimeout: budget,
        bodyTimeout: budget,
      })
      const text = await readCapped(res.body, 4 * 1024 * 1024)
      const type = String(res.headers['content-type'] ?? 'application/json')
      if (res.statusCode >= 500) throw upstreamFailed('vLLM', `GET /v1/models answered ${res.statusCode}`)
      return new Response(text, { status: res.statusCode, headers: { 'content-type': type } })
    } catch (err) {
      if (err instanceof AppError) throw err
      if (CONNECT_CODES.has(codeOf(err) ?? '')) return unreachable(requestId)
      throw classifyFailure(err, { service: 'vLLM', timeoutMs: budget })
    }
  }

  return { forward, models }
}
