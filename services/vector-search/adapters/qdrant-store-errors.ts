/**
 * Turns what `@qdrant/js-client-rest` throws into `StoreError`s. The client throws the fetch layer's
 * `ApiError` (`status`, `data.status.error`) for any answer but 2xx, `QdrantClientTimeoutError`
 * when its own timeout fires, and undici's `TypeError('fetch failed')` (the cause carries the
 * socket error) when nothing answers. Messages name the status, never a payload or a vector.
 */
import { UNREACHABLE_CODES } from '../../../shared/http-client.ts'
import { StoreError } from '../domain/store/ports.ts'

// undici's own socket errors too: the client reports a dropped keep-alive connection with them.
const DOWN_CODES = new Set([...UNREACHABLE_CODES, 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
])

/** Qdrant messages about vectors that do not fit the collection: safe to pass on, they hold no values. */
const VECTOR_PROBLEM =
  /Vector dimension error: expected dim: \d+, got \d+|Not existing vector name error|sparse and regular vectors/

interface ApiErrorLike {
  status: number
  data?: { status?: { error?: unknown } }
  headers?: { get(name: string): string | null }
}

const isApiError = (err: unknown): err is ApiErrorLike =>
  typeof err === 'object' && err !== null && typeof (err as ApiErrorLike).status === 'number'

function fromStatus(err: ApiErrorLike, what: string, retryAfterS: number): StoreError {
  const qdrantMessage = typeof err.data?.status?.error === 'string' ? err.data.status.error : ''
  const s = err.status
  if (s === 404) return new StoreError('collection_not_found', `${what}: the collection does not exist.`)
  if (s === 409) return new StoreError('collection_exists', `${what}: a collection of that name exists.`)
  if (s === 400 && /larger than allowed/.test(qdrantMessage))
    return new StoreError('too_large', `${what}: Qdrant refused the request as too large.`)
  const vectorProblem = VECTOR_PROBLEM.exec(qdrantMessage)
  if ((s === 400 || s === 422) && vectorProblem)
    return new StoreError('bad_vector', `${what}: ${vectorProblem[0]}.`)
  if (s === 408) return new StoreError('timeout', `${what}: Qdrant timed out.`)
  if (s === 429) {
    const header = Number(err.headers?.get('retry-after'))
    return new StoreError(
      'unavailable',
      `${what}: Qdrant is rate limiting.`,
      header > 0 ? header : retryAfterS,
    )
  }
  if (s === 401 || s === 403) return new StoreError('failed', `${what}: Qdrant refused the API key (${s}).`)
  if (s >= 500) return new StoreError('unavailable', `${what}: Qdrant answered ${s}.`, retryAfterS)
  return new StoreError('failed', `${what}: Qdrant answered ${s}.`)
}

export function toStoreError(err: unknown, what: string, retryAfterS: number): unknown {
  if (err instanceof StoreError) return err
  if (isApiError(err)) return fromStatus(err, what, retryAfterS)
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } }
  const code = e.code ?? e.cause?.code
  if (e.name === 'QdrantClientTimeoutError' || e.name === 'TimeoutError' || (code && TIMEOUT_CODES.has(code)))
    return new StoreError('timeout', `${what}: Qdrant did not answer in time.`)
  if (e.name === 'QdrantClientResourceExhaustedError') {
    const after = (err as { retry_after?: number }).retry_after
    return new StoreError(
      'unavailable',
      `${what}: Qdrant is rate limiting.`,
      after && after > 0 ? after : retryAfterS,
    )
  }
  if ((code && DOWN_CODES.has(code)) || (err instanceof TypeError && e.cause))
    return new StoreError('unavailable', `${what}: Qdrant is not reachable.`, retryAfterS)
  // The caller's own abort passes through untouched: the route decides what a cancelled call answers.
  if (e.name === 'AbortError') return err
  return new StoreError('failed', `${what}: ${e.name ?? 'error'} talking to Qdrant.`)
}
