/** The SSH kit: import from here. See client.ts for the connection model, quote.ts for commands. */
export { type BackoffOptions, backoffDelay } from '../backoff.ts'
export { type SshClientOptions, SshNodeClient } from './client.ts'
export { SSH_DEFAULTS, withRemoteDeadline } from './defaults.ts'
export { isSshError, NEEDS_OPERATOR, SshError, type SshErrorKind } from './errors.ts'
export {
  createHostKeyStore,
  fingerprint,
  formatKnownHostLine,
  type HostKeyStore,
  type HostKeyStoreOptions,
  type HostKeyVerdict,
  parseKnownHosts,
} from './known-hosts.ts'
export { createSshPool, SshPool, type SshPoolOptions } from './pool.ts'
export {
  absolutePathProblem,
  assertAbsolutePath,
  assertModelId,
  assertPort,
  assertSafeName,
  buildCommand,
  inDirectory,
  quoteArg,
} from './quote.ts'
export type {
  ExecOptions,
  ExecResult,
  SshConnectionState,
  SshConnectionStateName,
  SshNode,
  SshNodes,
  SshTarget,
  SshTuning,
  StreamOptions,
  StreamResult,
} from './types.ts'
