/**
 * How a failed call to Parakeet or Kokoro reaches our client — one mapping for every route.
 *
 * A CUDA fault leaves the upstream process alive but unable to run the model ("wedged"): every
 * request answers 500 with the CUDA/cuBLAS message until the container is restarted. That is not
 * our client's error, and retrying at once cannot help, so it becomes 503 `upstream_wedged` with
 * Retry-After 60 (as the earlier version answered). Other failures keep their meaning: a bad answer
 * is 502, no answer in time 504, nobody listening 503 with a short Retry-After.
 */
import { AppError, upstreamFailed, upstreamUnavailable } from '../../../shared/errors.ts'
import { classifyFailure } from '../../../shared/http-client.ts'

/** What a wedged GPU process writes into its 500s (PyTorch, cuBLAS, cuDNN, cuFFT, NCCL). */
export const WEDGE_SIGNATURES: readonly RegExp[] = [
  /CUBLAS_STATUS_\w+/,
  /CUDNN_STATUS_\w+/,
  /CUDA error[^\n"]*/i,
  /cuFFT[^\n"]*/,
  /CUDA out of memory|out of memory/i,
  /device-side assert triggered/i,
  /illegal memory access/i,
  /NCCL error/i,
]

export const WEDGED_RETRY_AFTER_S = 60
export const UNREACHABLE_RETRY_AFTER_S = 5

/** Client errors the upstream found in what the client sent: passed on with the upstream's words. */
const CLIENT_FAULTS = new Set([400, 413, 415, 422])
const MESSAGE_LIMIT = 300

/** The wedge signature an upstream error text carries, or null. */
export function wedgeSignature(text: string): string | null {
  for (const pattern of WEDGE_SIGNATURES) {
    const found = pattern.exec(text)
    if (found) return found[0].trim()
  }
  return null
}

/** An upstream that answered, but not with success. `body` is its parsed JSON or its text. */
export function upstreamStatusError(
  service: string,
  status: number,
  body: unknown,
  retryAfterHeader?: string | null,
): AppError {
  const message = upstreamMessage(body)
  if (status >= 500) {
    const wedge = wedgeSignature(typeof body === 'string' ? body : JSON.stringify(body ?? ''))
    if (wedge)
      return new AppError(
        503,
        'upstream_wedged',
        `${service} hit a GPU fault (${wedge}) and cannot serve until it is restarted; retry in ${WEDGED_RETRY_AFTER_S} s.`,
        { retryAfterS: WEDGED_RETRY_AFTER_S },
      )
  }
  if (status === 503 || status === 429) {
    const retry = parseRetryAfter(retryAfterHeader) ?? UNREACHABLE_RETRY_AFTER_S
    return upstreamUnavailable(service, retry, `is busy or starting (HTTP ${status})`)
  }
  if (CLIENT_FAULTS.has(status))
    return new AppError(
      status,
      'upstream_rejected',
      `${service} refused the request: ${message ?? `HTTP ${status}`}`,
    )
  return upstreamFailed(service, `HTTP ${status}${message ? `: ${message}` : ''}`)
}

/** A call that got no answer: timeout → 504, refused/unreachable → 503 + Retry-After, client gone → 499. */
export function upstreamCallError(service: string, err: unknown, timeoutMs: number): AppError {
  return classifyFailure(err, { service, timeoutMs, retryAfterS: UNREACHABLE_RETRY_AFTER_S })
}

/** The message in FastAPI (`detail`), Kokoro (`detail.message`) and OpenAI (`error.message`) bodies. */
export function upstreamMessage(body: unknown): string | null {
  const text = extract(body)
  if (!text) return null
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > MESSAGE_LIMIT ? `${oneLine.slice(0, MESSAGE_LIMIT)}…` : oneLine || null
}

function extract(body: unknown): string | null {
  if (typeof body === 'string') return body
  if (!body || typeof body !== 'object') return null
  const { detail, error, message } = body as Record<string, unknown>
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail))
    return detail.map((d) => (d as { msg?: string }).msg ?? JSON.stringify(d)).join('; ')
  if (detail && typeof detail === 'object') return extract(detail)
  if (typeof error === 'string') return typeof message === 'string' ? `${error}: ${message}` : error
  if (error && typeof error === 'object') return extract(error)
  return typeof message === 'string' ? message : null
}

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds))
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000))
}
