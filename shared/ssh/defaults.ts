/** Defaults of the SSH kit, and the remote deadline every exec carries. */
import type { SshTuning } from './types.ts'

/**
 * How much later than the caller's deadline the remote backstop fires: the local timeout kills and
 * reports first; the backstop only matters when the kill cannot reach the process.
 */
export const REMOTE_GRACE_MS = 1000

/**
 * Prefixes coreutils `timeout`, so the command dies on the Spark even when our kill cannot reach
 * it: OpenSSH refuses `signal` requests for root logins (no post-auth privilege separation), older
 * servers ignore them, and a dropped connection delivers nothing. `-s KILL` takes the whole process
 * group (timeout puts the command in its own), so `sh -c 'a; b'` dies entirely.
 */
export function withRemoteDeadline(argv: readonly string[], ms: number): string[] {
  return ['timeout', '-s', 'KILL', `${(Math.max(ms, 1) / 1000).toFixed(3)}s`, ...argv]
}

export const SSH_DEFAULTS = {
  connectTimeoutMs: 10_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  stableAfterMs: 10_000,
  maxChannels: 8,
  maxQueued: 64,
  execTimeoutMs: 30_000,
  maxOutputBytes: 1024 * 1024,
  remoteDeadline: true,
} as const satisfies SshTuning
