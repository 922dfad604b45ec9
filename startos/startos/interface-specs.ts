/**
 * What the package exposes: the gateway's port, as the dashboard for the owner and as an API for
 * apps (the earlier apps call `http://spark-control.startos:9999`). Pure: no SDK import.
 */
import { SERVICES } from '../../shared/topology.ts'

export const GATEWAY_PORT = SERVICES.gateway.port

export interface InterfaceSpec {
  id: 'ui' | 'api'
  name: string
  description: string
  type: 'ui' | 'api'
}

export const INTERFACES: readonly InterfaceSpec[] = [
  {
    id: 'ui',
    name: 'Dashboard',
    description: 'The Spark Control dashboard: what runs on each Spark, model switching, settings',
    type: 'ui',
  },
  {
    id: 'api',
    name: 'API',
    description:
      'The OpenAI-compatible and Spark Control API your apps call, with a key from the API keys action',
    type: 'api',
  },
]
