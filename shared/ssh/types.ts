/** The public shapes of the SSH kit: what services call and what their test fakes implement. */
import type { ChannelExit } from './channel.ts'

export interface SshTarget {
  /** Inventory name, used in logs, errors and readiness (`node:<name>`). */
  name: string
  /** An IP address preferably: `.local` names resolve IPv6-first and hang. */
  host: string
  port: number
  user: string
}

export interface SshTuning {
  connectTimeoutMs?: number
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** A connection that lived this long resets the backoff when it drops. */
  stableAfterMs?: number
  /** Channels open at once on the connection (OpenSSH `MaxSessions` defaults to 10). */
  maxChannels?: number
  /** Callers waiting for a channel; one more is refused with `busy`. */
  maxQueued?: number
  execTimeoutMs?: number
  maxOutputBytes?: number
  /** Wrap exec commands in coreutils `timeout` as a remote backstop (see withRemoteDeadline). Default true. */
  remoteDeadline?: boolean
  /** Injected in tests for deterministic jitter. */
  random?: () => number
}

export type SshConnectionStateName = 'connected' | 'connecting' | 'down'

export interface SshConnectionState {
  state: SshConnectionStateName
  /** ISO time of the last change of `state`. */
  since: string
  lastError: string | null
  /** Consecutive failed attempts (0 once connected). */
  failures: number
  /** When the next background attempt is due, while down. */
  nextAttemptAt: string | null
}

export interface ExecOptions {
  /** Whole budget: waiting for a channel, connecting and running. Default 30 s. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Written to the command's stdin, then EOF (stdin always gets EOF). */
  stdin?: string | Buffer
  /** Bound on stdout + stderr together; over it the process is killed (`output_limit`). Default 1 MiB. */
  maxOutputBytes?: number
  /** Overrides the pool's `remoteDeadline` for this call. */
  remoteDeadline?: boolean
}

export interface ExecResult {
  /** Exit status; a non-zero status is a result, not an error. Null when killed by a signal. */
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  durationMs: number
}

export interface StreamOptions {
  onLine: (line: string, stream: 'stdout' | 'stderr', truncated: boolean) => void
  /** Aborting ends the stream normally (the usual way to stop `docker logs -f`). */
  signal: AbortSignal
  /** Time to get a channel open; the stream itself has no time limit. Default 10 s. */
  openTimeoutMs?: number
  /** Longer lines are delivered cut at this many bytes with `truncated` set. Default 64 KiB. */
  maxLineBytes?: number
  /** Also end lines at `\r` (progress bars redraw with it); `\r\n` then yields an extra empty line. */
  carriageReturnEndsLine?: boolean
}

export interface StreamResult extends ChannelExit {
  /** True when the caller's signal ended it. */
  aborted: boolean
  durationMs: number
}

/** One node's command runner: what services depend on, and what their fakes implement. */
export interface SshNode {
  readonly name: string
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>
  stream(argv: readonly string[], options: StreamOptions): Promise<StreamResult>
  state(): SshConnectionState
}

/** The set of nodes; `get` returns undefined for a name that is not in the inventory. */
export interface SshNodes {
  get(name: string): SshNode | undefined
  close(): Promise<void>
}
