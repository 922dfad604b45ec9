/**
 * The environment of each daemon, from the package's store. Pure: no SDK import.
 */

import { randomBytes } from 'node:crypto'
import { defaultServiceUrl, SERVICE_NAMES, SERVICES, type ServiceName } from '../../shared/topology.ts'
import { DATA_DIR } from './daemons'

/** A Spark node as the store keeps it and `SPARK_NODES` takes it (shared/inventory-nodes.ts). */
export interface SparkNode {
  name: string
  host: string
  user: string
  ssh_port: number
  role: 'head' | 'worker'
}

/** `SPARK_NODES`: blank while no node is configured, so the services report "not configured". */
export const sparkNodesValue = (nodes: readonly SparkNode[]): string =>
  nodes.length === 0 ? '' : JSON.stringify(nodes)

/** Every service's URL: all daemons share the package's network namespace. */
const serviceUrls = (): Record<string, string> =>
  Object.fromEntries(SERVICE_NAMES.map((name) => [SERVICES[name].urlEnv, defaultServiceUrl(name)]))

/** What the package keeps for the daemons in its store (fileModels/store.json.ts). */
export interface PackageState {
  nodes: readonly SparkNode[]
  /** Encrypts the redaction maps at rest; made once at install (init/redaction-key.ts). */
  redactionMapKey: string
}

export function daemonEnv(id: ServiceName, { nodes, redactionMapKey }: PackageState): Record<string, string> {
  return {
    ...serviceUrls(),
    DATA_DIR,
    // The gateway is reached through the StartOS proxy on the container's address; the
    // backends answer only inside the package.
    HOST: id === 'gateway' ? '0.0.0.0' : '127.0.0.1',
    PORT: String(SERVICES[id].port),
    SPARK_NODES: sparkNodesValue(nodes),
    // Only the service that needs the secret gets it.
    ...(id === 'redaction-gateway' ? { REDACTION_MAP_KEY: redactionMapKey } : {}),
  }
}

/** A new REDACTION_MAP_KEY: 32 random bytes, base64, as the redaction-gateway takes it. */
export const newRedactionMapKey = (): string => randomBytes(32).toString('base64')
