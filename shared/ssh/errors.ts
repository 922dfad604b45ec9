/**
 * The one error type SSH code throws. It is an `AppError`, so a route can let it through and the
 * service factory renders it with the right status; `kind` lets callers (the swap state machine)
 * branch without parsing messages. Messages never carry command output or key material.
 */
import { AppError } from '../errors.ts'

export type SshErrorKind =
  /** Not connected and the next attempt is later than the caller's deadline. */
  | 'unavailable'
  | 'connect_failed'
  | 'auth_failed'
  | 'host_key_mismatch'
  | 'host_key_unknown'
  | 'key_unreadable'
  | 'timeout'
  | 'aborted'
  /** Every channel of the connection is in use and the wait queue is full. */
  | 'busy'
  | 'output_limit'
  | 'connection_lost'
  | 'channel_failed'
  | 'closed'

const STATUS: Record<SshErrorKind, number> = {
  unavailable: 503,
  connect_failed: 503,
  auth_failed: 502,
  host_key_mismatch: 502,
  host_key_unknown: 502,
  key_unreadable: 502,
  timeout: 504,
  aborted: 499,
  busy: 503,
  output_limit: 502,
  connection_lost: 503,
  channel_failed: 503,
  closed: 503,
}

export interface SshErrorOptions {
  retryAfterS?: number
  cause?: unknown
}

export class SshError extends AppError {
  readonly kind: SshErrorKind
  readonly node: string
  /** The message without the `SSH to <node>:` prefix (for state reports that name the node already). */
  readonly reason: string

  constructor(kind: SshErrorKind, node: string, reason: string, options: SshErrorOptions = {}) {
    const status = STATUS[kind]
    const retryAfterS = options.retryAfterS ?? (status === 503 ? 5 : undefined)
    super(status, `ssh_${kind}`, `SSH to ${node}: ${reason}`, { retryAfterS, cause: options.cause })
    this.name = 'SshError'
    this.kind = kind
    this.node = node
    this.reason = reason
  }
}

/** Failures that another attempt a second later will not fix: they wait for a person. */
export const NEEDS_OPERATOR: ReadonlySet<SshErrorKind> = new Set([
  'auth_failed',
  'host_key_mismatch',
  'host_key_unknown',
  'key_unreadable',
])

/**
 * The node did not answer (no connection, it dropped, or the command outran its budget): a
 * temporary condition, told apart from a command that ran and failed, and from `NEEDS_OPERATOR`.
 */
export const isUnreachable = (err: unknown): err is SshError =>
  err instanceof SshError &&
  ['unavailable', 'connect_failed', 'connection_lost', 'timeout', 'closed', 'channel_failed'].includes(
    err.kind,
  )
