/**
 * The package's daemons, one per service, built from the repository's one table of services
 * (shared/topology.ts). Pure: no SDK import, so the repository's tests read the same table
 * `main.ts` starts.
 */
import { BACKEND_SERVICES, SERVICES, type ServiceName } from '../../shared/topology.ts'

/** Where the image keeps the built services (the Dockerfile's WORKDIR). */
export const APP_DIR = '/app'
/** Where the `main` volume is mounted in the subcontainer; the services' DATA_DIR. */
export const DATA_DIR = '/data'
/** The image's non-root user (the Dockerfile's USER). */
export const SERVICE_USER = 'node'

export interface DaemonSpec {
  id: ServiceName
  port: number
  /** What the owner sees next to the health check on the service page. */
  display: string
  command: [string, ...string[]]
  /** Answers 2xx only when the service's own routes work (shared/readiness.ts). */
  readyUrl: string
  /** Daemons that must report ready before this one starts. */
  requires: readonly ServiceName[]
}

const DISPLAY: Record<ServiceName, string> = {
  gateway: 'Dashboard and API',
  'swap-controller': 'Model control',
  'speech-proxy': 'Speech',
  'vector-search': 'Embeddings and search',
  'redaction-gateway': 'Redaction',
  'connectivity-monitor': 'Connectivity monitor',
}

const daemonSpec = (id: ServiceName): DaemonSpec => ({
  id,
  port: SERVICES[id].port,
  display: DISPLAY[id],
  command: ['node', ...SERVICES[id].nodeFlags, `dist/services/${id}/main.js`],
  readyUrl: `http://127.0.0.1:${SERVICES[id].port}/ready`,
  // The gateway fronts every backend, so it starts once they all answer.
  requires: id === 'gateway' ? BACKEND_SERVICES : [],
})

/** Backends first, the gateway last: the order the daemons are declared and started. */
export const DAEMONS: readonly DaemonSpec[] = [...BACKEND_SERVICES.map(daemonSpec), daemonSpec('gateway')]
