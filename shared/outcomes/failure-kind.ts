/**
 * How a request to a target failed, in the monitor's words (`FailureKind`), from whatever the
 * transport threw: undici's errors, Node's socket errors, an `AbortSignal.timeout` reason, or the
 * `TypeError('fetch failed')` that carries the socket error as its cause.
 */
import type { FailureKind } from '../contracts/connectivity-monitor.ts'

const BY_CODE: Record<string, FailureKind> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENETDOWN: 'unreachable',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
}

const TIMEOUT_NAMES = new Set(['TimeoutError', 'QdrantClientTimeoutError'])

interface ErrorLike {
  name?: string
  code?: string
  cause?: ErrorLike
}

export function failureKind(err: unknown): FailureKind {
  const e = (err ?? {}) as ErrorLike
  const kind = (e.code && BY_CODE[e.code]) || (e.cause?.code && BY_CODE[e.cause.code])
  if (kind) return kind
  if ((e.name && TIMEOUT_NAMES.has(e.name)) || (e.cause?.name && TIMEOUT_NAMES.has(e.cause.name)))
    return 'timeout'
  return 'other'
}

/**
 * Whether an aborted request was given up by its caller (the client went away, the work was
 * cancelled) rather than timed out: such a request says nothing about the target.
 */
export const isCallerAbort = (reason: unknown): boolean => failureKind(reason) !== 'timeout'
