/** The SSH kit: import from here. See client.ts for the connection model, quote.ts for commands. */
export { backoffDelay, type BackoffOptions } from './backoff.ts'
export { SshNodeClient, type SshClientOptions } from './client.ts'
export { SSH_DEFAULTS, withRemoteDeadline } from './defaults.ts'
export { NEEDS_OPERATOR, SshError, isSshError, type SshErrorKind } from './errors.ts'
export {
  createHostKeyStore,
  fingerprint,
  formatKnownHostLine,
  parseKnownHosts,
  type HostKeyStore,
  type HostKeyStoreOptions,
  type HostKeyVerdict,
} from './known-hosts.ts'
export { SshPool, createSshPool, type SshPoolOptions } from './pool.ts'
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
