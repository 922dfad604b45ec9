/**
 * Transport errors in the monitor's words: the failure kind the classifier reads (a refused port is
 * a stopped process, a timeout may be a hung one or a lost route) and a phrase the owner reads.
 */
import type { FailureKind } from '../../domain/ports.ts'

const BY_CODE: Record<string, [FailureKind, string]> = {
  ECONNREFUSED: ['refused', 'connection refused'],
  ECONNRESET: ['reset', 'connection reset'],
  EPIPE: ['reset', 'connection reset'],
  UND_ERR_SOCKET: ['reset', 'connection closed'],
  EHOSTUNREACH: ['unreachable', 'host unreachable'],
  EHOSTDOWN: ['unreachable', 'host down'],
  ENETUNREACH: ['unreachable', 'network unreachable'],
  ENETDOWN: ['unreachable', 'network down'],
  ENOTFOUND: ['dns', 'host not found'],
  EAI_AGAIN: ['dns', 'host name lookup failed'],
  EAI_FAIL: ['dns', 'host name lookup failed'],
  ETIMEDOUT: ['timeout', 'connection timed out'],
}

export interface Failure {
  kind: FailureKind
  detail: string
}

/** The kind and phrase of an error code (`ECONNREFUSED`, undici's `UND_ERR_SOCKET`, …). */
export function failureOf(code: string | undefined, fallback: string): Failure {
  const known = code ? BY_CODE[code] : undefined
  return known ? { kind: known[0], detail: known[1] } : { kind: 'other', detail: fallback }
}

/** A thrown socket error as a failure. */
export function socketFailure(err: unknown): Failure {
  const e = err as { code?: string; message?: string }
  return failureOf(e.code, e.message || 'connection failed')
}

export const CANCELLED: Failure = { kind: 'other', detail: 'check cancelled' }
