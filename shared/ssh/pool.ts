/**
 * The SSH connections of a whole inventory: one `SshNodeClient` per node, one host key store for
 * all of them (one known_hosts file), closed together on shutdown.
 */
import type { Logger } from '../logger.ts'
import { SshNodeClient } from './client.ts'
import { createHostKeyStore, type HostKeyStore } from './known-hosts.ts'
import type { SshConnectionState, SshNodes, SshTarget, SshTuning } from './types.ts'

export interface SshPoolOptions extends SshTuning {
  targets: readonly SshTarget[]
  /** Private key file (`SSH_KEY_PATH`); re-read on every connection attempt. */
  keyPath: string
  /** known_hosts file (`SSH_KNOWN_HOSTS`); unset pins first-seen keys in memory only. */
  knownHostsPath?: string
  /** Refuse hosts that have no known_hosts entry instead of recording them on first use. */
  strictHostKeys?: boolean
  logger: Logger
  /** Injected in tests that want to share or inspect the store. */
  hostKeys?: HostKeyStore
}

export class SshPool implements SshNodes {
  readonly #nodes = new Map<string, SshNodeClient>()

  constructor(options: SshPoolOptions) {
    const { targets, keyPath, knownHostsPath, strictHostKeys, logger, hostKeys, ...tuning } = options
    const store = hostKeys ?? createHostKeyStore({ path: knownHostsPath, strict: strictHostKeys, logger })
    for (const target of targets) {
      if (this.#nodes.has(target.name)) throw new Error(`duplicate SSH target name ${target.name}`)
      this.#nodes.set(target.name, new SshNodeClient({ ...tuning, target, keyPath, hostKeys: store, logger }))
    }
  }

  get(name: string): SshNodeClient | undefined {
    return this.#nodes.get(name)
  }

  names(): string[] {
    return [...this.#nodes.keys()]
  }

  states(): Record<string, SshConnectionState> {
    return Object.fromEntries([...this.#nodes].map(([name, node]) => [name, node.state()]))
  }

  async close(): Promise<void> {
    await Promise.all([...this.#nodes.values()].map((n) => n.close()))
  }
}

export const createSshPool = (options: SshPoolOptions) => new SshPool(options)
